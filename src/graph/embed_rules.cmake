# Writes OUT: a C++ file returning the text of each rules/<name>.yaml.
# Usage: cmake -DOUT=file.cc -DROOT=rules -DNAMES=a,b -P embed_rules.cmake
set(body "// Generated from rules/*.yaml by src/graph/embed_rules.cmake. Do not edit.\n")
string(APPEND body "#include <string_view>\n\nnamespace icts::graph {\n\n")
string(APPEND body "std::string_view EmbeddedRuleText(std::string_view name) {\n")
string(REPLACE "," ";" names "${NAMES}")
foreach(name ${names})
  file(READ ${ROOT}/${name}.yaml text)
  string(APPEND body "  if (name == \"${name}\") {\n    return R\"icts_rule(${text})icts_rule\";\n  }\n")
endforeach()
string(APPEND body "  return {};\n}\n\n}  // namespace icts::graph\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
