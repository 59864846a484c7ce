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

// Model limits: the largest figures a model description (a catalog entry, a custom model in a request, a GGUF header)
// may give. Each is far past the largest open model (the bundled catalog's largest figure is named beside it), so a
// real model always passes, and an estimate of whatever passes costs milliseconds and stays finite.

/** Layers (blocks): the deepest open model has 126 (Llama 3.1 405B, config.json num_hidden_layers). */
export const MAX_LAYERS = 1024;

/** Hidden size: the widest open model has 16,384 (Llama 3.1 405B, config.json hidden_size). */
export const MAX_HIDDEN_SIZE = 65_536;

/**
 * Intermediate size of one FFN (dense, per block, one routed or shared expert, the dense layers of an MoE): the
 * largest open one is 53,248 (Llama 3.1 405B, config.json intermediate_size).
 */
export const MAX_FFN_SIZE = 262_144;

/** Attention heads, query or KV (any layer kind): the most are 128 (DeepSeek-V3, Llama 3.1 405B, config.json). */
export const MAX_ATTENTION_HEADS = 1024;

/**
 * Size of one attention head (key, value, a full layer's own, and MLA's rope, nope and value parts): the largest is
 * 512 (Gemma 4 31B's global layers, in the bundled catalog).
 */
export const MAX_HEAD_DIM = 4096;

/** MLA latent ranks (kv_lora_rank, q_lora_rank): the largest is 1,536 (DeepSeek-V3 q_lora_rank); bounded as the hidden size. */
export const MAX_MLA_RANK = MAX_HIDDEN_SIZE;

/**
 * Experts of an MoE layer (routed, active per token, shared): the most routed are 512 (Qwen3-Next, config.json
 * num_experts; Kimi K2 has 384), the most active 10 (Granite 4.0-H Small), the most shared 2 (DeepSeek-V2-Lite).
 */
export const MAX_EXPERTS = 4096;

/** Vocabulary: the largest is 262,400 (Gemma 3n, config.json vocab_size); 2^21. */
export const MAX_VOCAB_SIZE = 2_097_152;

/**
 * Tokens of context: a model's native context, the context a request asks for, a sliding window. The longest native
 * context is 10,485,760 (Llama 4 Scout, config.json max_position_embeddings); 2^24.
 */
export const MAX_CONTEXT_TOKENS = 16_777_216;

/**
 * Recurrent state one layer keeps per sequence, bytes (linear layers, SSM mixers beside the attention): the largest
 * is 26,230,784 (Llama 3.2 Vision's cross-attention layers, their image tokens as a constant state); an SSM's is
 * 4,249,600 (Falcon-H1 3B). 1 GiB.
 */
export const MAX_STATE_BYTES_PER_LAYER = 1_073_741_824;

/**
 * Parameters of one layer's mixer (linear_layer_params, linear_qkv_params, a parallel SSM's layer_params): the largest
 * is 251,658,240 (MiniMax-Text-01's lightning attention). 2^34: four hidden x hidden projections at MAX_HIDDEN_SIZE.
 */
export const MAX_LAYER_PARAMS = 17_179_869_184;

/**
 * Parameters of a model (total, active, towers, extras, and the total an architecture describes): the largest open
 * model has 1.03 trillion (Kimi K2.5, model card). 100 trillion.
 */
export const MAX_PARAMS = 100_000_000_000_000;

/** Bytes of a model's weights (a published GGUF file, a pre-quantized variant): MAX_PARAMS at 32 bits each. */
export const MAX_WEIGHTS_BYTES = 4 * MAX_PARAMS;

/**
 * Entries of a list in a catalog entry (aliases, Ollama tags, GGUF repositories and files, variants, sources,
 * caveats): the longest is 27 (Qwen3-30B-A3B-Thinking-2507's GGUF files).
 */
export const MAX_LIST_ENTRIES = 1024;

/** Characters of a name, id, tag, repository, URL or layer kind: the longest in the bundled catalog is 92. */
export const MAX_NAME_LENGTH = 1024;

/** Characters of a note, a caveat, a layer pattern or a catalog description: the longest bundled note is 1,606. */
export const MAX_TEXT_LENGTH = 16_384;

/** Models in one catalog file: the bundled catalog has 325, the benchmark's synthetic catalogs 10,000. */
export const MAX_CATALOG_MODELS = 100_000;

/**
 * Parts of a split GGUF model: a 2 TB BF16 model (Kimi K2) cut in llama.cpp's default 50 GB parts is ~40 files;
 * even 5 GB parts make ~400.
 */
export const MAX_GGUF_PARTS = 1024;

/**
 * Bytes of one GGUF file's header (metadata and tensor infos, before the weights). Its bulk is the tokenizer: the
 * largest vocabularies are ~200-260 k tokens (Gemma 3's 262,144 with scores and types; gpt-oss's 201,088 with its BPE
 * merges), about 7-14 MB (a Gemma-3-sized header of 262,144 tokens, their scores and types and 250,000 merges is 13 MB);
 * tensor infos add ~100 bytes a tensor. 24 MiB; past it a header is refused before it is read further.
 */
export const MAX_GGUF_HEADER_BYTES = 24 * 1024 * 1024;

/**
 * Bytes of the headers of all parts of a split GGUF model: llama.cpp's gguf-split writes the metadata into the first
 * part only, the others hold the split keys and their tensor infos (KBs each). 32 MiB.
 */
export const MAX_GGUF_HEADERS_TOTAL_BYTES = 32 * 1024 * 1024;

/**
 * Tensors of a GGUF model, all parts together: DeepSeek-V3 has about 1,150 (61 blocks of ~19, experts fused per
 * block as llama.cpp stores them); an old per-expert layout (Mixtral's first GGUFs) stays under 1,000. 65,536.
 */
export const MAX_GGUF_TENSORS = 65_536;

// File limits: the largest file of each kind nodefit reads. Past them a file is a mistake (a device, a log, the wrong
// path), never input, and it is refused before it is read.

/** A catalog file: the bundled catalog is 0.55 MB for 325 models (~1.7 KB each), so 64 MiB holds ~38,000 models. */
export const MAX_CATALOG_FILE_BYTES = 64 * 1024 * 1024;

/** A machine description: 256 GPUs described in full are ~80 KB. */
export const MAX_MACHINE_FILE_BYTES = 1024 * 1024;

/**
 * A small file of a model store read to identify a model: an Ollama manifest (~1 KB), a Hugging Face cache's
 * refs/main (40 bytes), a model's config.json (DeepSeek-V3's is 1.7 KB; a multimodal model's with its processor settings
 * tens of KB). 4 MiB is past any of them; a larger file by that name is not one.
 */
export const MAX_STORE_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The largest benchmarks store the agent's reader copies into memory when it cannot share the writer's lock file (a
 * data directory it may not write, with no bench running): 1,000 results are about 2 MB.
 */
export const MAX_BENCH_STORE_COPY_BYTES = 64 * 1024 * 1024;

/** An access-token file: one line; 64 KiB is past any token format (a JWT is a few KB). */
export const MAX_TOKEN_FILE_BYTES = 64 * 1024;

/**
 * A configuration file (`--config`, NODEFIT_CONFIG, ~/.config/nodefit/config.json): every setting given, with a dozen
 * runtime endpoints and model folders of long paths, is under 8 KB; 256 KiB is past any real one.
 */
export const MAX_CONFIG_FILE_BYTES = 256 * 1024;

/** A `--batch` file of estimate requests, one JSON request per line: 100,000 lines of 640 bytes. */
export const MAX_BATCH_FILE_BYTES = 64 * 1024 * 1024;

/** Requests in one batch file (the benchmark runs 1,000); each answer is a few KB, held until the batch ends. */
export const MAX_BATCH_LINES = 100_000;

/**
 * One line of a batch file: a custom model with every list at its bound is ~10 KB, the API's request body limit is
 * 64 KiB; 1 MiB.
 */
export const MAX_BATCH_LINE_BYTES = 1024 * 1024;

/**
 * GPU cores as Apple counts them (`sppci_cores`, `gpu_cores`): the largest chip has 80 (Apple M3 Ultra, Apple's Mac
 * Studio tech specs, 2025); 1024 leaves room for a few generations.
 */
export const MAX_GPU_CORES = 1024;
