// cgroup directories: a process's cgroup and each ancestor up to the mount, where limits set higher up also apply.

/**
 * The directories to read, deepest first: the process's cgroup and each ancestor up to the mount. Inside a
 * container with its own cgroup namespace the path is "/" and the mount is the container's cgroup; without
 * one, the host path may not exist in the container's mount, and the mount root is the container's cgroup.
 */
export function cgroupAncestorDirs(mount: string, path: string): string[] {
  const parts = path.split("/").filter(Boolean);
  const dirs: string[] = [];
  for (let i = parts.length; i >= 0; i--) dirs.push([mount, ...parts.slice(0, i)].join("/"));
  return dirs;
}
