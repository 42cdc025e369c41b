# ATLAS_REQUIRE_MODULES(VARIABLE, MODULES, DEBIAN-PACKAGE)
# --------------------------------------------------------
# PKG_CHECK_MODULES for a required library; a missing one stops
# configure and names the Debian package that provides it.
AC_DEFUN([ATLAS_REQUIRE_MODULES], [
  PKG_CHECK_MODULES([$1], [$2], [],
    [AC_MSG_ERROR([$2 was not found by pkg-config: install $3 (apt-get install $3), or run ./bootstrap as root])])
])

# ATLAS_CHECK_STATIC_LINK
# -----------------------
# Can a fully static program link against libc, jansson and nettle?
# Sets atlas_static_ok to yes or no.
AC_DEFUN([ATLAS_CHECK_STATIC_LINK], [
  AC_MSG_CHECKING([whether a fully static atlas can be linked])
  atlas_save_LIBS=$LIBS
  atlas_save_CFLAGS=$CFLAGS
  LIBS="-static $JANSSON_LIBS $NETTLE_LIBS $LIBS"
  CFLAGS="$CFLAGS $JANSSON_CFLAGS $NETTLE_CFLAGS"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([[
#include <jansson.h>
#include <nettle/sha2.h>
]], [[
struct sha256_ctx ctx; sha256_init(&ctx);
json_t *j = json_object(); json_decref(j);
]])], [atlas_static_ok=yes], [atlas_static_ok=no])
  LIBS=$atlas_save_LIBS
  CFLAGS=$atlas_save_CFLAGS
  AC_MSG_RESULT([$atlas_static_ok])
])
