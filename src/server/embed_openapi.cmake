# Writes OUT: a C++ file holding the text of docs/openapi.json.
# Usage: cmake -DOUT=file.cc -DIN=docs/openapi.json -P embed_openapi.cmake
file(READ ${IN} text)
set(body "// Generated from docs/openapi.json by src/server/embed_openapi.cmake. Do not edit.\n")
string(APPEND body "namespace icts::server {\n\nextern const char kOpenApiJson[];\n")
string(APPEND body "const char kOpenApiJson[] = R\"icts_openapi(${text})icts_openapi\";\n\n")
string(APPEND body "}  // namespace icts::server\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
