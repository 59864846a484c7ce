// /proc/version parser: tells a WSL2 kernel ("...-microsoft-standard-WSL2") from a native one.

export const isWslKernel = (procVersion: string): boolean => /microsoft/i.test(procVersion);
