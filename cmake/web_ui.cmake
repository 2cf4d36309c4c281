# Fills the build tree's web UI folder (docs/web-ui.md): the files of web/
# and, from node_modules/, the ES-module builds of preact, preact/hooks, htm,
# htm/preact and cytoscape in vendor/, with their licences. The modules'
# bare imports ("preact", "htm") are rewritten to relative paths, so the
# pages need neither a bundler nor an import map (which would be an inline
# script, refused by the Content-Security-Policy).
#
# Without node_modules/ the UI's own files are still copied, vendor/ is
# removed and `icts serve` reports the UI as unavailable. Files are written
# only when they change.
#
# Usage: cmake -DSRC=web -DMODULES=node_modules -DLOCK=package-lock.json
#              -DOUT=build/web -P web_ui.cmake
cmake_minimum_required(VERSION 3.25)

function(write_if_different path content)
  if(EXISTS "${path}")
    file(READ "${path}" old)
    if(old STREQUAL content)
      return()
    endif()
  endif()
  file(WRITE "${path}" "${content}")
endfunction()

# The UI's own files.
file(GLOB_RECURSE sources RELATIVE "${SRC}" "${SRC}/*.html" "${SRC}/*.js" "${SRC}/*.css"
     "${SRC}/*.svg")
file(MAKE_DIRECTORY "${OUT}")
foreach(f IN LISTS sources)
  get_filename_component(dir "${OUT}/${f}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  file(COPY_FILE "${SRC}/${f}" "${OUT}/${f}" ONLY_IF_DIFFERENT)
endforeach()
# Files removed from web/ leave the build tree too.
file(GLOB_RECURSE built RELATIVE "${OUT}" "${OUT}/*")
foreach(f IN LISTS built)
  if(NOT f MATCHES "^vendor/" AND NOT f IN_LIST sources)
    file(REMOVE "${OUT}/${f}")
  endif()
endforeach()

# The vendored modules: package, file in the package, name in vendor/.
set(modules
    "preact|dist/preact.mjs|preact.mjs"
    "preact|hooks/dist/hooks.mjs|hooks.mjs"
    "htm|dist/htm.mjs|htm.mjs"
    "htm|preact/index.mjs|htm-preact.mjs"
    "cytoscape|dist/cytoscape.esm.min.mjs|cytoscape.mjs")
set(missing "")
foreach(m IN LISTS modules)
  string(REPLACE "|" ";" parts "${m}")
  list(GET parts 0 pkg)
  list(GET parts 1 file)
  if(NOT EXISTS "${MODULES}/${pkg}/${file}")
    list(APPEND missing "${pkg}/${file}")
  endif()
endforeach()
if(missing)
  file(REMOVE_RECURSE "${OUT}/vendor")
  list(JOIN missing ", " missing)
  message(STATUS "web UI: ${MODULES} lacks ${missing}; the UI is built without its modules "
                 "and the server reports it unavailable (run scripts/install-npm.sh)")
  return()
endif()

# The installed versions must be the locked ones.
file(READ "${LOCK}" lock)
foreach(pkg preact htm cytoscape)
  string(JSON want ERROR_VARIABLE err GET "${lock}" packages "node_modules/${pkg}" version)
  file(READ "${MODULES}/${pkg}/package.json" manifest)
  string(JSON have ERROR_VARIABLE err2 GET "${manifest}" version)
  if(err OR err2 OR NOT want STREQUAL have)
    message(WARNING "web UI: node_modules has ${pkg} ${have}, package-lock.json wants ${want}; "
                    "run scripts/install-npm.sh")
  endif()
  file(MAKE_DIRECTORY "${OUT}/vendor")
  file(COPY_FILE "${MODULES}/${pkg}/LICENSE" "${OUT}/vendor/LICENSE.${pkg}.txt" ONLY_IF_DIFFERENT)
  string(APPEND versions "${pkg} ${have}\n")
endforeach()
write_if_different("${OUT}/vendor/VERSIONS.txt" "${versions}")

foreach(m IN LISTS modules)
  string(REPLACE "|" ";" parts "${m}")
  list(GET parts 0 pkg)
  list(GET parts 1 file)
  list(GET parts 2 name)
  file(READ "${MODULES}/${pkg}/${file}" text)
  string(REGEX REPLACE "from *\"preact\"" "from\"./preact.mjs\"" text "${text}")
  string(REGEX REPLACE "from *\"htm\"" "from\"./htm.mjs\"" text "${text}")
  if(text MATCHES "(from|import) *\"[^./][^\"]*\"")
    message(FATAL_ERROR "web UI: ${pkg}/${file} imports a bare module (${CMAKE_MATCH_0}); "
                        "add it to cmake/web_ui.cmake")
  endif()
  write_if_different("${OUT}/vendor/${name}" "${text}")
endforeach()
