# ATLAS_CHECK_CHOICE(OPTION, VALUE, VALID-VALUES)
# ------------------------------------------------
# Stop configure when VALUE is not one of the space-separated
# VALID-VALUES, naming all of them.
AC_DEFUN([ATLAS_CHECK_CHOICE], [
  atlas_choice_ok=no
  for atlas_choice in $3; do
    AS_IF([test "x$2" = "x$atlas_choice"], [atlas_choice_ok=yes])
  done
  AS_IF([test "x$atlas_choice_ok" != xyes],
    [AC_MSG_ERROR([$1=$2 is not valid; valid values: m4_normalize([$3])])])
])

# ATLAS_CHECK_IMAGE_REF(OPTION, VALUE)
# ------------------------------------
# Stop configure when VALUE cannot be an image reference.  This is the
# character set of a reference; the engine checks the rest.
AC_DEFUN([ATLAS_CHECK_IMAGE_REF], [
  AS_CASE([$2],
    [""|*[[!A-Za-z0-9_.:/@-]]*|-*|/*|*/],
      [AC_MSG_ERROR([$1=$2 is not an image reference (like registry/name:tag)])])
])
