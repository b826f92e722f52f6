# shellcheck shell=bash
# The container image for bin/test: built from the project's Dockerfile with podman, then mounted as a container's
# root file system for MicAi.Tests/Deployment/ContainerImageTests (which start it with bin/lib/container-exec).
# Sourced after services.sh (step, die, ensure_tool); the caller sets `set -euo pipefail`.
#
# The official .NET images cannot be pulled here, so stand-ins keeping their contract are built first
# (docker/standin/*.Containerfile on a debootstrapped Debian), under the official names, in a podman store of this
# run's own: the machine's images are never touched and everything goes with the run. `podman run` cannot start a
# container in this sandbox (crun may not create cgroups or call setrlimit), hence the chroot build isolation and
# the mounted root file system.

container_dir=""
container_times=""
container_image=localhost/micai:test
container_suite=bookworm
container_packages=ca-certificates,libicu72,libssl3,tzdata

# container_step DIR: builds and mounts the image and exports MICAI_TEST_IMAGE, MICAI_TEST_IMAGE_ROOT and
# MICAI_TEST_IMAGE_CONFIG. Where it cannot (no mirror, no podman), CI fails here; elsewhere the image tests are
# reported skipped with the reason in MICAI_TEST_IMAGE_SKIPPED.
container_step() {
  local started=$SECONDS
  if container_image_up "$1"; then
    echo "container image ready in $((SECONDS - started)) s ($container_times): $MICAI_TEST_IMAGE_ROOT"
    return
  fi
  # The log goes with the run's directory: show its end now.
  [[ ! -s $1/build.log ]] || tail -n 40 "$1/build.log" >&2
  [[ ${CI:-} != true ]] || die "the container image could not be built or mounted (see above); CI requires it"
  export MICAI_TEST_IMAGE_SKIPPED="bin/test could not build or mount the container image (its log was printed before the tests)"
  printf 'warning: %s; the container image tests are skipped\n' "$MICAI_TEST_IMAGE_SKIPPED" >&2
}

container_image_up() {
  container_dir=$1
  local log=$1/build.log cid root phase=$SECONDS
  mkdir -p "$1"
  # Errors are tested one by one: `set -e` does not apply inside a function called from an `if`.
  ensure_tool podman || return 1
  ensure_tool debootstrap || return 1
  container_standins "$log" || return 1
  container_times="base and stand-ins $((SECONDS - phase)) s"
  phase=$SECONDS

  step "podman build $container_image from the Dockerfile"
  # --format docker keeps HEALTHCHECK in the image config (the OCI format drops it). The host's NuGet cache is
  # lent to the restore as an overlay (:O): its writes are thrown away, and a warm cache saves the downloads.
  local nuget=${NUGET_PACKAGES:-${HOME:-/nonexistent}/.nuget/packages} volumes=()
  [[ ! -d $nuget ]] || volumes=(--volume "$nuget:/root/.nuget/packages:O")
  container_podman build --isolation chroot --network host --pull=never --layers=false --format docker \
    "${volumes[@]}" --tag "$container_image" --file Dockerfile . >>"$log" 2>&1 || return 1
  container_times+=", image $((SECONDS - phase)) s"

  container_podman image inspect "$container_image" >"$1/image.json" || return 1
  cid=$(container_podman create --network host --name micai-test "$container_image" 2>>"$log") || return 1
  root=$(container_podman mount "$cid" 2>>"$log") || return 1
  export MICAI_TEST_IMAGE=$container_image MICAI_TEST_IMAGE_ROOT=$root MICAI_TEST_IMAGE_CONFIG=$1/image.json
}

# The stand-ins under the official names the Dockerfile's FROM lines use, from the machine's .NET.
container_standins() {
  local log=$1 dotnet_root base
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  base=$(container_base_tar "$log") || return 1
  step "stand-ins for mcr.microsoft.com/dotnet/aspnet:10.0 and sdk:10.0 (.NET $(dotnet --version))"
  container_podman import --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'CMD ["bash"]' "$base" docker.io/library/debian:$container_suite-slim >>"$log" 2>&1 || return 1
  container_podman build --isolation chroot --pull=never --layers=false --build-context dotnet="$dotnet_root" \
    --build-arg DOTNET_VERSION="$(container_runtime_version Microsoft.NETCore.App)" \
    --build-arg ASPNET_VERSION="$(container_runtime_version Microsoft.AspNetCore.App)" \
    --tag mcr.microsoft.com/dotnet/aspnet:10.0 --file docker/standin/aspnet.Containerfile docker/standin >>"$log" 2>&1 ||
    return 1
  container_podman build --isolation chroot --pull=never --layers=false --build-context dotnet="$dotnet_root" \
    --build-context certs=/etc/ssl/certs --build-arg DOTNET_SDK_VERSION="$(dotnet --version)" \
    --tag mcr.microsoft.com/dotnet/sdk:10.0 --file docker/standin/sdk.Containerfile docker/standin >>"$log" 2>&1
}

container_runtime_version() { dotnet --list-runtimes | awk -v name="$1" '$1 == name { v = $2 } END { print v }'; }

# A minbase Debian root file system as a tar (the stand-ins' base, like debian:bookworm-slim). Outside CI it is
# kept in MICAI_TEST_CACHE_DIR (default /var/tmp/micai-test-cache), keyed by suite, packages and mirror; CI always
# bootstraps afresh.
container_base_tar() {
  local log=$1 mirror cache tar rootfs
  mirror=$(container_mirror)
  cache=${MICAI_TEST_CACHE_DIR:-/var/tmp/micai-test-cache}
  [[ ${CI:-} != true ]] || cache=$container_dir
  tar=$cache/debian-$container_suite-$(printf '%s\n' "$container_packages" "$mirror" | cksum | cut -d' ' -f1).tar
  if [[ -s $tar ]]; then
    printf '%s\n' "$tar"
    return
  fi
  rootfs=$container_dir/rootfs
  step "debootstrap $container_suite from $mirror" >&2
  debootstrap --variant=minbase --include="$container_packages" "$container_suite" "$rootfs" "$mirror" >>"$log" 2>&1 ||
    return 1
  # What debian:*-slim leaves out as well: the downloaded packages and the package lists.
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  mkdir -p "$cache"
  tar -C "$rootfs" -cf "$tar.$$" . || return 1
  mv "$tar.$$" "$tar" || return 1
  rm -rf "$rootfs"
  printf '%s\n' "$tar"
}

# The Debian mirror apt uses on this machine (MICAI_DEBIAN_MIRROR overrides it).
container_mirror() {
  local mirror=${MICAI_DEBIAN_MIRROR:-}
  if [[ -z $mirror ]]; then
    mirror=$(sed -nE -e 's|^URIs:[[:space:]]*([^[:space:]]+).*|\1|p' \
      -e 's|^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*|\2|p' \
      /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep -E '/debian/?$' | head -n 1 || true)
  fi
  printf '%s\n' "${mirror:-http://deb.debian.org/debian}"
}

# podman on this run's own store; cgroupfs and a file for events, as there is no systemd here.
container_podman() {
  podman --root "$container_dir/store" --runroot "$container_dir/run" --tmpdir "$container_dir/libpod" \
    --storage-driver overlay --cgroup-manager cgroupfs --events-backend file "$@"
}

# Ends what still runs in the container (a test process that died before stopping it), then unmounts the container
# and whatever else is still mounted under the step's directory (podman's own bind of its store, a debootstrap cut
# short), deepest first, so that deleting the directory deletes nothing beyond it.
container_cleanup() {
  [[ -n $container_dir && -d $container_dir ]] || return 0
  local proc
  if [[ -n ${MICAI_TEST_IMAGE_ROOT:-} ]]; then
    for proc in /proc/[0-9]*; do
      [[ $(readlink "$proc/root" 2>/dev/null) != "$MICAI_TEST_IMAGE_ROOT" ]] || kill -KILL "${proc#/proc/}" 2>/dev/null || true
    done
  fi
  container_podman unmount --all >/dev/null 2>&1 || true
  local mounts
  mounts=$(awk -v dir="$container_dir/" 'index($5, dir) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
  [[ -z $mounts ]] || xargs -r -n 1 umount -l <<<"$mounts" || true
  container_dir=""
}
