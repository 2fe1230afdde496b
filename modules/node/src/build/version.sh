#!/bin/sh
# Writes what `bin/switchboard --version` and the node's start line report: the project version and the git commit
# the build came from, "dirty" when tracked files differ from it. A tree that is not a git checkout (a source
# tarball, even one unpacked inside another repository) says commit=unknown instead of failing the build.
# Usage: version.sh VERSION OUTPUT_FILE   (run by modules/node/pom.xml in the module's directory)
set -u
version=$1
out=$2
commit=unknown
dirty=false
# pom.xml tracked by the repository around us: this tree is that checkout, not a copy inside some other one
if git ls-files --error-unmatch pom.xml >/dev/null 2>&1 && c=$(git rev-parse --short=10 HEAD 2>/dev/null); then
  commit=$c
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    dirty=true
  fi
fi
mkdir -p "$(dirname "$out")"
printf 'version=%s\ncommit=%s\ndirty=%s\n' "$version" "$commit" "$dirty" >"$out"
