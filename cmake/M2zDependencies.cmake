# Every third-party library comes from a Debian package. A missing one stops configuration with
# the package to install, so nobody has to guess.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config (or run tools/setup.sh)")
endif()

function(m2z_require_pkg target module debian_package)
  pkg_check_modules(${target} IMPORTED_TARGET GLOBAL ${module})
  if(NOT ${target}_FOUND)
    message(FATAL_ERROR "${module} not found: apt-get install ${debian_package} (or run tools/setup.sh)")
  endif()
endfunction()

m2z_require_pkg(LIBPFF libpff libpff-dev)
# libpff.h includes <libbfio.h>, but Debian's libpff-dev does not depend on libbfio-dev.
m2z_require_pkg(LIBBFIO libbfio libbfio-dev)
m2z_require_pkg(LIBICAL libical libical-dev)
m2z_require_pkg(XERCES xerces-c libxerces-c-dev)
m2z_require_pkg(CURL libcurl libcurl4-openssl-dev)
m2z_require_pkg(OPENSSL openssl libssl-dev)
m2z_require_pkg(ICU_UC icu-uc libicu-dev)
m2z_require_pkg(ICU_I18N icu-i18n libicu-dev)
m2z_require_pkg(SQLITE sqlite3 libsqlite3-dev)
m2z_require_pkg(LIBPQ libpq libpq-dev)
m2z_require_pkg(LIBOLECF libolecf libolecf-dev)

if(M2Z_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT GTest_FOUND)
    message(FATAL_ERROR "GoogleTest not found: apt-get install libgtest-dev libgmock-dev (or run tools/setup.sh)")
  endif()
endif()
