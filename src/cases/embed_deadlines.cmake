# Writes OUT: a C++ file returning the text of rules/cases/deadlines.yaml.
# Usage: cmake -DOUT=file.cc -DIN=deadlines.yaml -P embed_deadlines.cmake
file(READ ${IN} text)
set(body "// Generated from rules/cases/deadlines.yaml by src/cases/embed_deadlines.cmake. Do not edit.\n")
string(APPEND body "#include <string_view>\n\nnamespace icts::cases {\n\n")
string(APPEND body "std::string_view EmbeddedDeadlinesText() {\n")
string(APPEND body "  return R\"icts_rule(${text})icts_rule\";\n}\n\n}  // namespace icts::cases\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
