# Helpers shared by every folder: one library per src/<area>/, one test
# executable per test source, one fuzz target per parser entry point.

set(ICTS_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wno-missing-field-initializers)
if(ICTS_WERROR)
  list(APPEND ICTS_WARNINGS -Werror)
  # GCC 12 at -O3 reports impossible overlaps inside std::string's own
  # concatenation (GCC bugs 105329 and 105651); keep them warnings there.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
     AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    list(APPEND ICTS_WARNINGS -Wno-error=restrict)
  endif()
endif()

# icts_library(NAME name SRCS a.cc b.cc DEPS dep1 dep2 [PRIVATE_DEPS ...])
function(icts_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${ARG_NAME} STATIC ${ARG_SRCS})
  target_include_directories(${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(${ARG_NAME} PRIVATE ${ICTS_WARNINGS})
  target_link_libraries(${ARG_NAME} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# icts_test(NAME name SRC file_test.cc DEPS libs... [LABELS l])
function(icts_test)
  cmake_parse_arguments(ARG "" "NAME;SRC" "DEPS;LABELS" ${ARGN})
  if(NOT ICTS_BUILD_TESTS)
    return()
  endif()
  add_executable(${ARG_NAME} ${ARG_SRC})
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src
                             ${PROJECT_SOURCE_DIR})
  target_compile_options(${ARG_NAME} PRIVATE ${ICTS_WARNINGS})
  target_compile_definitions(${ARG_NAME} PRIVATE
    ICTS_SHARED_DATA_DIR="${ICTS_SHARED_DATA_DIR}"
    ICTS_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock
                        GTest::gtest_main)
  gtest_discover_tests(${ARG_NAME} DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "unit;${ARG_LABELS}")
endfunction()

# icts_fuzz(NAME name SRC fuzz_x.cc DEPS libs...)
# In the fuzz build (ICTS_FUZZ, clang) this makes a libFuzzer binary; in every
# other build it links a plain main that replays fuzz/corpus/<name>/ and
# registers that replay as a test.
function(icts_fuzz)
  cmake_parse_arguments(ARG "" "NAME;SRC" "DEPS" ${ARGN})
  set(corpus ${PROJECT_SOURCE_DIR}/fuzz/corpus/${ARG_NAME})
  if(ICTS_FUZZ)
    add_executable(${ARG_NAME} ${ARG_SRC})
    target_compile_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer ${ICTS_WARNINGS})
    target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${ARG_NAME} ${ARG_SRC} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
    target_compile_options(${ARG_NAME} PRIVATE ${ICTS_WARNINGS})
    if(ICTS_BUILD_TESTS)
      add_test(NAME fuzz_replay.${ARG_NAME} COMMAND ${ARG_NAME} ${corpus})
      set_tests_properties(fuzz_replay.${ARG_NAME} PROPERTIES LABELS "fuzz_replay")
    endif()
  endif()
  target_include_directories(${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS})
endfunction()
