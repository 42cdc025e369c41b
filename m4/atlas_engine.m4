# ATLAS_CONTAINER_ENGINE(CHOICE)
# ------------------------------
# CHOICE is docker, podman or detect.  Sets and substitutes
# CONTAINER_ENGINE (the program, empty when none is found) and
# atlas_have_buildx.  A named engine that is not installed is an error;
# an engine that does not answer is not, since the image tests skip.
AC_DEFUN([ATLAS_CONTAINER_ENGINE], [
  AS_CASE([$1],
    [detect], [AC_PATH_PROGS([CONTAINER_ENGINE], [docker podman])],
    [AC_PATH_PROG([CONTAINER_ENGINE], [$1])
     AS_IF([test -z "$CONTAINER_ENGINE"],
       [AC_MSG_ERROR([--with-container-engine=$1: '$1' is not installed])])])
  AC_MSG_CHECKING([for BuildKit through buildx])
  AS_IF([test -n "$CONTAINER_ENGINE" && "$CONTAINER_ENGINE" buildx version >/dev/null 2>&1],
    [atlas_have_buildx=yes], [atlas_have_buildx=no])
  AC_MSG_RESULT([$atlas_have_buildx])
  AC_SUBST([CONTAINER_ENGINE])
  AC_SUBST([HAVE_BUILDX], [$atlas_have_buildx])
])
