// Hardware limits: the largest figures any machine input (a flag, a description, a probe) may give. Past them a value
// is a typo, a unit mix-up or a broken tool, never hardware; inputs refuse them so no estimate runs on them.

/**
 * Memory per accelerator. The largest sold today are 288 GB (NVIDIA B300 and AMD Instinct MI355X spec sheets); a
 * unified machine's GPU pool is below that (Apple's largest is 512 GB of RAM, of which macOS gives the GPU ~75%).
 * 1 TiB leaves room for a few generations.
 */
export const MAX_GPU_MEMORY_GIB = 1024;

/** System RAM: the largest single-system-image servers hold 32 TiB (HPE Superdome Flex 280 spec sheet). */
export const MAX_RAM_GIB = 65_536;

/** CPU cores: 2x 192-core AMD EPYC 9965 is 384 cores (768 threads); 4096 is beyond any one host. */
export const MAX_CPU_CORES = 4096;

/**
 * Accelerators in one machine description: an NVLink domain of 72 GPUs (NVIDIA GB200 NVL72) is the largest that acts as
 * one; 256 leaves room for a described pod, and keeps a description from costing more than a few milliseconds.
 */
export const MAX_GPUS = 256;

/**
 * Memory bandwidth, GB/s (per accelerator, or of system RAM): HBM3e parts are at 8,000 (NVIDIA B200 spec sheet);
 * 100,000 leaves room for HBM4 and beyond.
 */
export const MAX_BANDWIDTH_GBPS = 100_000;
