# Warnings for our own targets only (never for the system libraries we link).
add_library(m2z_warnings INTERFACE)
target_compile_options(m2z_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
if(M2Z_WERROR)
  target_compile_options(m2z_warnings INTERFACE -Werror)
endif()

# m2z_add_library(name SOURCES ... DEPS ...): one library under src/, aliased m2z::<short name>.
function(m2z_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(m2z_${name} STATIC ${ARG_SOURCES})
  add_library(m2z::${name} ALIAS m2z_${name})
  target_include_directories(m2z_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(m2z_${name} PUBLIC ${ARG_DEPS} PRIVATE m2z_warnings ${ARG_PRIVATE_DEPS})
endfunction()
