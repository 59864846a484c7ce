// The quality table: published benchmark figures per catalog model, each row with the page that publishes them.
import { QualityRowSchema, type QualityRow, type QualityRowInput } from "./benchmarks.js";

/**
 * Figures are copied as the source prints them (percent). Only figures known to be the published ones are entered;
 * a benchmark a source does not publish, or whose figure is uncertain, is left out rather than estimated. Reasoning
 * and hybrid models are recorded in the mode their source reports by default (thinking for Qwen3's hybrids, "high"
 * reasoning for gpt-oss). Where two sources disagree on a model, the model's own card wins.
 */
const ROWS: QualityRowInput[] = [
  // --- Qwen2.5 instruct: the Qwen2.5 release post's instruct tables (MMLU-Redux, MMLU-Pro, GPQA, MATH, HumanEval,
  // MBPP, LiveCodeBench 2305-2409, IFEval strict-prompt, Arena-Hard).
  ...[
    ["Qwen/Qwen2.5-0.5B-Instruct", { mmlu_pro: 15.0, mmlu_redux: 24.1, math: 34.4, ifeval: 27.9 }],
    ["Qwen/Qwen2.5-1.5B-Instruct", { mmlu_pro: 32.4, mmlu_redux: 50.7, math: 55.2, humaneval: 61.6, mbpp: 63.2, livecodebench: 14.8, ifeval: 42.5 }],
    ["Qwen/Qwen2.5-3B-Instruct", { mmlu_pro: 43.7, mmlu_redux: 64.4, gpqa: 30.3, math: 65.9, humaneval: 74.4, mbpp: 72.7, livecodebench: 19.9, ifeval: 58.2 }],
    ["Qwen/Qwen2.5-7B-Instruct", { mmlu_pro: 56.3, mmlu_redux: 75.4, gpqa: 36.4, math: 75.5, humaneval: 84.8, mbpp: 79.2, livecodebench: 28.7, ifeval: 71.2, arena_hard: 52.0 }],
    ["Qwen/Qwen2.5-14B-Instruct", { mmlu_pro: 63.7, mmlu_redux: 80.0, gpqa: 45.5, math: 80.0, humaneval: 83.5, mbpp: 82.0, livecodebench: 42.6, ifeval: 81.0, arena_hard: 68.3 }],
    ["Qwen/Qwen2.5-32B-Instruct", { mmlu_pro: 69.0, mmlu_redux: 83.9, gpqa: 49.5, math: 83.1, humaneval: 88.4, mbpp: 84.0, livecodebench: 51.2, ifeval: 79.5, arena_hard: 74.5 }],
    ["Qwen/Qwen2.5-72B-Instruct", { mmlu_pro: 71.1, mmlu_redux: 86.8, gpqa: 49.0, math: 83.1, humaneval: 86.6, mbpp: 88.2, livecodebench: 55.5, ifeval: 84.1, arena_hard: 81.2 }],
  ].map(([model, scores]) => ({ family: "Qwen2.5", model, scores, source: "https://qwenlm.github.io/blog/qwen2.5-llm/" }) as QualityRowInput),

  // --- Qwen2.5-Coder: instruct models from the family release post (HumanEval, MBPP, LiveCodeBench 2407-2409);
  // base models' HumanEval from the technical report.
  ...[
    ["Qwen/Qwen2.5-Coder-1.5B-Instruct", { humaneval: 70.7, mbpp: 69.2 }],
    ["Qwen/Qwen2.5-Coder-3B-Instruct", { humaneval: 84.1, mbpp: 73.6 }],
    ["Qwen/Qwen2.5-Coder-7B-Instruct", { humaneval: 88.4, mbpp: 83.5, livecodebench: 18.2 }],
    ["Qwen/Qwen2.5-Coder-14B-Instruct", { humaneval: 89.6, mbpp: 86.2, livecodebench: 23.4 }],
    ["Qwen/Qwen2.5-Coder-32B-Instruct", { humaneval: 92.7, mbpp: 90.2, livecodebench: 31.4 }],
  ].map(([model, scores]) => ({ family: "Qwen2.5-Coder", model, scores, source: "https://qwenlm.github.io/blog/qwen2.5-coder-family/" }) as QualityRowInput),
  ...[
    ["Qwen/Qwen2.5-Coder-0.5B", 28.0],
    ["Qwen/Qwen2.5-Coder-1.5B", 43.9],
    ["Qwen/Qwen2.5-Coder-3B", 52.4],
    ["Qwen/Qwen2.5-Coder-7B", 61.6],
  ].map(([model, humaneval]) => ({ family: "Qwen2.5-Coder", model, scores: { humaneval }, source: "https://arxiv.org/abs/2409.12186", note: "base (pretrained) model", curve: false }) as QualityRowInput),

  // --- Qwen2.5-Math instruct: MATH with chain-of-thought (the release post).
  ...[
    ["Qwen/Qwen2.5-Math-1.5B-Instruct", 75.8],
    ["Qwen/Qwen2.5-Math-7B-Instruct", 83.6],
    ["Qwen/Qwen2.5-Math-72B-Instruct", 85.9],
  ].map(([model, math]) => ({ family: "Qwen2.5-Math", model, scores: { math }, source: "https://qwenlm.github.io/blog/qwen2.5-math/", note: "MATH, chain-of-thought" }) as QualityRowInput),

  // --- Qwen2 instruct (the Qwen2 release post).
  { family: "Qwen2", model: "Qwen/Qwen2-7B-Instruct", scores: { mmlu: 70.5, mmlu_pro: 44.1, gpqa: 25.3, math: 49.6, humaneval: 79.9, mbpp: 67.2 }, source: "https://qwenlm.github.io/blog/qwen2/" },
  { family: "Qwen2", model: "Qwen/Qwen2-72B-Instruct", scores: { mmlu: 82.3, mmlu_pro: 64.4, gpqa: 42.4, math: 59.7, humaneval: 86.0, mbpp: 80.2, ifeval: 77.6, arena_hard: 48.1 }, source: "https://qwenlm.github.io/blog/qwen2/" },

  // --- Qwen VL models: MMMU (val).
  { family: "Qwen2-VL", model: "Qwen/Qwen2-VL-7B-Instruct", scores: { mmmu: 54.1 }, source: "https://qwenlm.github.io/blog/qwen2-vl/" },
  { family: "Qwen2-VL", model: "Qwen/Qwen2-VL-72B-Instruct", scores: { mmmu: 64.5 }, source: "https://qwenlm.github.io/blog/qwen2-vl/" },
  { family: "Qwen2.5-VL", model: "Qwen/Qwen2.5-VL-3B-Instruct", scores: { mmmu: 53.1 }, source: "https://qwenlm.github.io/blog/qwen2.5-vl/" },
  { family: "Qwen2.5-VL", model: "Qwen/Qwen2.5-VL-7B-Instruct", scores: { mmmu: 58.6 }, source: "https://qwenlm.github.io/blog/qwen2.5-vl/" },
  { family: "Qwen2.5-VL", model: "Qwen/Qwen2.5-VL-32B-Instruct", scores: { mmmu: 70.0 }, source: "https://qwenlm.github.io/blog/qwen2.5-vl-32b/" },
  { family: "Qwen2.5-VL", model: "Qwen/Qwen2.5-VL-72B-Instruct", scores: { mmmu: 70.2 }, source: "https://qwenlm.github.io/blog/qwen2.5-vl/" },

  // --- Qwen3 (April 2025 hybrids): the technical report's thinking-mode tables (MMLU-Redux, GPQA-Diamond, AIME'24,
  // AIME'25, LiveCodeBench v5, IFEval strict-prompt, Arena-Hard).
  ...[
    ["Qwen/Qwen3-0.6B", { mmlu_redux: 55.6, gpqa_diamond: 27.9, aime24: 10.7, aime25: 15.1, livecodebench: 12.3, ifeval: 59.2, arena_hard: 8.5 }],
    ["Qwen/Qwen3-1.7B", { mmlu_redux: 73.9, gpqa_diamond: 40.1, aime24: 48.3, aime25: 36.8, livecodebench: 33.2, ifeval: 72.5, arena_hard: 43.1 }],
    ["Qwen/Qwen3-4B", { mmlu_redux: 83.7, gpqa_diamond: 55.9, aime24: 73.8, aime25: 65.6, livecodebench: 54.2, ifeval: 81.9, arena_hard: 76.6 }],
    ["Qwen/Qwen3-8B", { mmlu_redux: 87.5, gpqa_diamond: 62.0, aime24: 76.0, aime25: 67.3, livecodebench: 57.5, ifeval: 85.0, arena_hard: 85.8 }],
    ["Qwen/Qwen3-14B", { mmlu_redux: 88.6, gpqa_diamond: 64.0, aime24: 79.3, aime25: 70.4, livecodebench: 63.5, ifeval: 85.4, arena_hard: 91.7 }],
    ["Qwen/Qwen3-30B-A3B", { mmlu_redux: 89.5, gpqa_diamond: 65.8, aime24: 80.4, aime25: 70.9, livecodebench: 62.6, ifeval: 86.5, arena_hard: 91.0 }],
    ["Qwen/Qwen3-32B", { mmlu_redux: 90.9, gpqa_diamond: 68.4, aime24: 81.4, aime25: 72.9, livecodebench: 65.7, ifeval: 85.0, arena_hard: 93.8 }],
    ["Qwen/Qwen3-235B-A22B", { mmlu_redux: 92.7, gpqa_diamond: 71.1, aime24: 85.7, aime25: 81.5, livecodebench: 70.7, ifeval: 83.4, arena_hard: 95.6 }],
  ].map(([model, scores]) => ({ family: "Qwen3", model, scores, source: "https://arxiv.org/abs/2505.09388", note: "thinking mode" }) as QualityRowInput),
  // Qwen3 2507 updates: each model card (LiveCodeBench v6; Arena-Hard v2 is not recorded).
  ...[
    ["Qwen/Qwen3-4B-Instruct-2507", { mmlu_pro: 69.6, mmlu_redux: 84.2, gpqa_diamond: 62.0, aime25: 47.4, livecodebench: 35.1, ifeval: 83.4 }],
    ["Qwen/Qwen3-4B-Thinking-2507", { mmlu_pro: 74.0, mmlu_redux: 86.1, gpqa_diamond: 65.8, aime25: 81.3, livecodebench: 55.2, ifeval: 87.4 }],
    ["Qwen/Qwen3-30B-A3B-Instruct-2507", { mmlu_pro: 78.4, mmlu_redux: 89.3, gpqa_diamond: 70.4, aime25: 61.3, livecodebench: 43.2, ifeval: 84.7 }],
    ["Qwen/Qwen3-30B-A3B-Thinking-2507", { mmlu_pro: 80.9, mmlu_redux: 91.4, gpqa_diamond: 73.4, aime25: 85.0, livecodebench: 66.0, ifeval: 88.9 }],
    ["Qwen/Qwen3-235B-A22B-Instruct-2507", { mmlu_pro: 83.0, mmlu_redux: 93.1, gpqa_diamond: 77.5, aime25: 70.3, livecodebench: 51.8, ifeval: 88.7 }],
    ["Qwen/Qwen3-235B-A22B-Thinking-2507", { mmlu_pro: 84.4, mmlu_redux: 93.8, gpqa_diamond: 81.1, aime25: 92.3, livecodebench: 74.1, ifeval: 87.8 }],
  ].map(([model, scores]) => ({ family: "Qwen3", model, scores, source: `https://huggingface.co/${model}`, curve: false }) as QualityRowInput),
  // Qwen3-Next: each model card (GPQA as the card labels it, the Diamond set as in the 2507 rows; LiveCodeBench v6
  // 25.02-25.05; IFEval strict-prompt). The Instruct model has no thinking mode; the Thinking model always thinks.
  { family: "Qwen3-Next", model: "Qwen/Qwen3-Next-80B-A3B-Instruct", scores: { mmlu_pro: 80.6, mmlu_redux: 90.9, gpqa_diamond: 72.9, aime25: 69.5, livecodebench: 56.6, ifeval: 87.6 }, source: "https://huggingface.co/Qwen/Qwen3-Next-80B-A3B-Instruct", note: "non-thinking (the Instruct model); LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "Qwen3-Next", model: "Qwen/Qwen3-Next-80B-A3B-Thinking", scores: { mmlu_pro: 82.7, mmlu_redux: 92.5, gpqa_diamond: 77.2, aime25: 87.8, livecodebench: 68.7, ifeval: 88.9 }, source: "https://huggingface.co/Qwen/Qwen3-Next-80B-A3B-Thinking", note: "thinking (the Thinking model); LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card", curve: false },

  // --- QwQ.
  { family: "QwQ", model: "Qwen/QwQ-32B-Preview", scores: { gpqa_diamond: 65.2, aime24: 50.0, math500: 90.6, livecodebench: 50.0 }, source: "https://qwenlm.github.io/blog/qwq-32b-preview/", curve: false },
  { family: "QwQ", model: "Qwen/QwQ-32B", scores: { aime24: 79.5, livecodebench: 63.4, ifeval: 83.9 }, source: "https://qwenlm.github.io/blog/qwq-32b/" },

  // --- Qwen3-Embedding card: MMTEB (MTEB multilingual, mean over tasks) for its models and the baselines it lists.
  ...[
    ["Qwen3-Embedding", "Qwen/Qwen3-Embedding-0.6B", 64.33],
    ["Qwen3-Embedding", "Qwen/Qwen3-Embedding-4B", 69.45],
    ["Qwen3-Embedding", "Qwen/Qwen3-Embedding-8B", 70.58],
    ["BGE-M3", "BAAI/bge-m3", 59.56],
    ["multilingual-e5", "intfloat/multilingual-e5-large-instruct", 63.22],
  ].map(([family, model, mmteb]) => ({ family, model, scores: { mmteb }, source: "https://huggingface.co/Qwen/Qwen3-Embedding-8B" }) as QualityRowInput),
  { family: "GTE", model: "Alibaba-NLP/gte-Qwen2-1.5B-instruct", scores: { mteb_en: 67.16, mmteb: 59.45 }, source: "https://huggingface.co/Qwen/Qwen3-Embedding-8B", note: "MTEB (English, 56 tasks) from the model's own card; MMTEB from the Qwen3-Embedding card" },
  { family: "GTE", model: "Alibaba-NLP/gte-Qwen2-7B-instruct", scores: { mteb_en: 70.24, mmteb: 62.51 }, source: "https://huggingface.co/Qwen/Qwen3-Embedding-8B", note: "MTEB (English, 56 tasks) from the model's own card; MMTEB from the Qwen3-Embedding card" },

  // --- Other embedding models: MTEB English (v1, 56 tasks) average as each card publishes it.
  ...[
    ["BGE v1.5", "BAAI/bge-small-en-v1.5", 62.17, "https://huggingface.co/BAAI/bge-large-en-v1.5"],
    ["BGE v1.5", "BAAI/bge-base-en-v1.5", 63.55, "https://huggingface.co/BAAI/bge-large-en-v1.5"],
    ["BGE v1.5", "BAAI/bge-large-en-v1.5", 64.23, "https://huggingface.co/BAAI/bge-large-en-v1.5"],
    ["Nomic Embed", "nomic-ai/nomic-embed-text-v1.5", 62.28, "https://huggingface.co/nomic-ai/nomic-embed-text-v1.5"],
    ["mxbai-embed", "mixedbread-ai/mxbai-embed-large-v1", 64.68, "https://huggingface.co/mixedbread-ai/mxbai-embed-large-v1"],
    ["E5", "intfloat/e5-mistral-7b-instruct", 66.6, "https://arxiv.org/abs/2401.00368"],
    ["Sentence Transformers", "sentence-transformers/all-MiniLM-L6-v2", 56.26, "https://huggingface.co/spaces/mteb/leaderboard"],
  ].map(([family, model, mteb_en, source]) => ({ family, model, scores: { mteb_en }, source }) as QualityRowInput),
  { family: "EmbeddingGemma", model: "google/embeddinggemma-300m", scores: { mmteb: 61.15 }, source: "https://huggingface.co/google/embeddinggemma-300m", note: "MTEB (Multilingual, v2), mean over tasks" },

  // --- Llama. Llama 2 chat and Llama 3 instruct: the Llama 3 card's instruct table.
  { family: "Llama 2", model: "meta-llama/Llama-2-7b-chat-hf", scores: { mmlu: 34.1, gpqa: 21.7, humaneval: 7.9, math: 3.8 }, source: "https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct" },
  { family: "Llama 2", model: "meta-llama/Llama-2-70b-chat-hf", scores: { mmlu: 52.9, gpqa: 21.0, humaneval: 25.6, math: 11.6 }, source: "https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct" },
  { family: "Llama 3", model: "meta-llama/Meta-Llama-3-8B-Instruct", scores: { mmlu: 68.4, gpqa: 34.2, humaneval: 62.2, math: 30.0 }, source: "https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct" },
  { family: "Llama 3", model: "meta-llama/Meta-Llama-3-70B-Instruct", scores: { mmlu: 82.0, gpqa: 39.5, humaneval: 81.7, math: 50.4 }, source: "https://huggingface.co/meta-llama/Meta-Llama-3-8B-Instruct" },
  // Llama 3.1 instruct card: MMLU 5-shot, MMLU-Pro CoT, IFEval, GPQA 0-shot, HumanEval, MBPP EvalPlus (base), MATH CoT.
  ...[
    ["meta-llama/Llama-3.1-8B-Instruct", { mmlu: 69.4, mmlu_pro: 48.3, ifeval: 80.4, gpqa: 30.4, humaneval: 72.6, mbpp: 72.8, math: 51.9 }],
    ["meta-llama/Llama-3.1-70B-Instruct", { mmlu: 83.6, mmlu_pro: 66.4, ifeval: 87.5, gpqa: 41.7, humaneval: 80.5, mbpp: 86.0, math: 68.0 }],
    ["meta-llama/Llama-3.1-405B-Instruct", { mmlu: 87.3, mmlu_pro: 73.3, ifeval: 88.6, gpqa: 50.7, humaneval: 89.0, mbpp: 88.6, math: 73.8 }],
  ].map(([model, scores]) => ({ family: "Llama 3.1", model, scores, source: "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct" }) as QualityRowInput),
  // Llama 3.2 text models (card: MMLU 5-shot, IFEval, GPQA 0-shot, MATH CoT) and vision models (MMMU val, CoT).
  { family: "Llama 3.2", model: "meta-llama/Llama-3.2-1B-Instruct", scores: { mmlu: 49.3, ifeval: 59.5, gpqa: 27.2, math: 30.6 }, source: "https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct" },
  { family: "Llama 3.2", model: "meta-llama/Llama-3.2-3B-Instruct", scores: { mmlu: 63.4, ifeval: 77.4, gpqa: 32.8, math: 48.0 }, source: "https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct" },
  { family: "Llama 3.2", model: "meta-llama/Llama-3.2-11B-Vision-Instruct", scores: { mmmu: 50.7 }, source: "https://huggingface.co/meta-llama/Llama-3.2-11B-Vision-Instruct" },
  { family: "Llama 3.2", model: "meta-llama/Llama-3.2-90B-Vision-Instruct", scores: { mmmu: 60.3 }, source: "https://huggingface.co/meta-llama/Llama-3.2-11B-Vision-Instruct" },
  { family: "Llama 3.3", model: "meta-llama/Llama-3.3-70B-Instruct", scores: { mmlu: 86.0, mmlu_pro: 68.9, ifeval: 92.1, gpqa_diamond: 50.5, humaneval: 88.4, mbpp: 87.6, math: 77.0 }, source: "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct", note: "MMLU 0-shot CoT" },
  { family: "Llama 4", model: "meta-llama/Llama-4-Scout-17B-16E-Instruct", scores: { mmlu_pro: 74.3, gpqa_diamond: 57.2, livecodebench: 32.8, mmmu: 69.4 }, source: "https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct" },
  { family: "Llama 4", model: "meta-llama/Llama-4-Maverick-17B-128E-Instruct", scores: { mmlu_pro: 80.5, gpqa_diamond: 69.8, livecodebench: 43.4, mmmu: 73.4 }, source: "https://huggingface.co/meta-llama/Llama-4-Scout-17B-16E-Instruct" },
  { family: "Llama Nemotron", model: "nvidia/Llama-3.1-Nemotron-70B-Instruct-HF", scores: { arena_hard: 85.0 }, source: "https://huggingface.co/nvidia/Llama-3.1-Nemotron-70B-Instruct-HF" },
  // Code Llama - Instruct: HumanEval and MBPP pass@1 (the Code Llama paper).
  ...[
    ["codellama/CodeLlama-7b-Instruct-hf", 34.8, 44.4],
    ["codellama/CodeLlama-13b-Instruct-hf", 42.7, 49.4],
    ["codellama/CodeLlama-34b-Instruct-hf", 41.5, 57.0],
  ].map(([model, humaneval, mbpp]) => ({ family: "Code Llama", model, scores: { humaneval, mbpp }, source: "https://arxiv.org/abs/2308.12950" }) as QualityRowInput),

  // --- Gemma 2 and 3 instruction-tuned: the Gemma 3 technical report (MMLU-Pro, GPQA-Diamond, MATH, LiveCodeBench,
  // MMMU val).
  ...[
    ["Gemma 2", "google/gemma-2-2b-it", { mmlu_pro: 15.6, gpqa_diamond: 24.7, math: 27.2, livecodebench: 1.2 }],
    ["Gemma 2", "google/gemma-2-9b-it", { mmlu_pro: 46.8, gpqa_diamond: 28.8, math: 49.4, livecodebench: 10.8 }],
    ["Gemma 2", "google/gemma-2-27b-it", { mmlu_pro: 56.9, gpqa_diamond: 34.3, math: 55.6, livecodebench: 20.4 }],
    ["Gemma 3", "google/gemma-3-1b-it", { mmlu_pro: 14.7, gpqa_diamond: 19.2, math: 48.0, livecodebench: 1.9 }],
    ["Gemma 3", "google/gemma-3-4b-it", { mmlu_pro: 43.6, gpqa_diamond: 30.8, math: 75.6, livecodebench: 12.6, mmmu: 48.8 }],
    ["Gemma 3", "google/gemma-3-12b-it", { mmlu_pro: 60.6, gpqa_diamond: 40.9, math: 83.8, livecodebench: 24.6, mmmu: 59.6 }],
    ["Gemma 3", "google/gemma-3-27b-it", { mmlu_pro: 67.5, gpqa_diamond: 42.4, math: 89.0, livecodebench: 29.7, mmmu: 64.9 }],
  ].map(([family, model, scores]) => ({ family, model, scores, source: "https://arxiv.org/abs/2503.19786" }) as QualityRowInput),
  // CodeGemma 1.0 (card): HumanEval and MBPP for the 2B and 7B pretrained models and 7B instruct.
  { family: "CodeGemma", model: "google/codegemma-2b", scores: { humaneval: 31.1, mbpp: 43.6 }, source: "https://huggingface.co/google/codegemma-7b", note: "pretrained (code completion) model" },
  { family: "CodeGemma", model: "google/codegemma-7b", scores: { humaneval: 44.5, mbpp: 56.2 }, source: "https://huggingface.co/google/codegemma-7b", note: "pretrained (code completion) model" },
  { family: "CodeGemma", model: "google/codegemma-7b-it", scores: { humaneval: 56.1, mbpp: 54.2 }, source: "https://huggingface.co/google/codegemma-7b", curve: false },

  // --- Mistral.
  // The Ministral card's instruct comparison (Mistral's own evaluation): Arena-Hard, HumanEval, MBPP, MATH maj@1.
  { family: "Mistral 7B", model: "mistralai/Mistral-7B-Instruct-v0.3", scores: { arena_hard: 44.3, humaneval: 38.4, mbpp: 50.2, math: 13.2 }, source: "https://huggingface.co/mistralai/Ministral-8B-Instruct-2410" },
  { family: "Ministral", model: "mistralai/Ministral-8B-Instruct-2410", scores: { arena_hard: 70.9, humaneval: 76.8, mbpp: 70.0, math: 54.5 }, source: "https://huggingface.co/mistralai/Ministral-8B-Instruct-2410" },
  { family: "Mistral NeMo", model: "mistralai/Mistral-Nemo-Instruct-2407", scores: { mmlu: 68.0 }, source: "https://huggingface.co/mistralai/Mistral-Nemo-Base-2407", note: "the base model's 5-shot MMLU; the instruct card publishes no benchmark figures" },
  { family: "Mistral Small 3", model: "mistralai/Mistral-Small-24B-Instruct-2501", scores: { mmlu_pro: 66.3, gpqa: 45.3, humaneval: 84.8, math: 70.6, arena_hard: 87.3, ifeval: 82.9 }, source: "https://huggingface.co/mistralai/Mistral-Small-24B-Instruct-2501", note: "GPQA main set" },
  { family: "Mistral Small 3.1", model: "mistralai/Mistral-Small-3.1-24B-Instruct-2503", scores: { mmlu: 80.62, mmlu_pro: 66.76, math: 69.3, gpqa_diamond: 45.96, mbpp: 74.71, humaneval: 88.41, mmmu: 64.0 }, source: "https://huggingface.co/mistralai/Mistral-Small-3.1-24B-Instruct-2503" },
  { family: "Mistral Small 3.2", model: "mistralai/Mistral-Small-3.2-24B-Instruct-2506", scores: { mmlu: 80.5, mmlu_pro: 69.06, math: 69.42, gpqa_diamond: 46.13, ifeval: 84.78, mmmu: 62.5 }, source: "https://huggingface.co/mistralai/Mistral-Small-3.2-24B-Instruct-2506" },
  { family: "Codestral", model: "mistralai/Codestral-22B-v0.1", scores: { humaneval: 81.1, mbpp: 78.2 }, source: "https://mistral.ai/news/codestral", note: "MBPP sanitized" },
  { family: "Pixtral", model: "mistralai/Pixtral-12B-2409", scores: { mmmu: 52.5 }, source: "https://mistral.ai/news/pixtral-12b" },
  // Magistral Small 1.0 / 1.1 / 1.2: the 2509 card's comparison (AIME'24, AIME'25, GPQA-Diamond, LiveCodeBench v5).
  ...[
    ["mistralai/Magistral-Small-2506", { aime24: 70.68, aime25: 62.76, gpqa_diamond: 68.18, livecodebench: 55.84 }],
    ["mistralai/Magistral-Small-2507", { aime24: 70.52, aime25: 62.03, gpqa_diamond: 65.78, livecodebench: 59.17 }],
    ["mistralai/Magistral-Small-2509", { aime24: 86.14, aime25: 77.34, gpqa_diamond: 70.07, livecodebench: 70.88 }],
  ].map(([model, scores]) => ({ family: "Magistral", model, scores, source: "https://huggingface.co/mistralai/Magistral-Small-2509" }) as QualityRowInput),

  // --- Phi.
  { family: "Phi-3", model: "microsoft/Phi-3-medium-4k-instruct", scores: { mmlu: 77.9, gpqa_diamond: 31.2, math: 44.6, humaneval: 67.8 }, source: "https://arxiv.org/abs/2412.08905", note: "phi-3 (14B) column of the phi-4 report's simple-evals table" },
  { family: "Phi-3.5", model: "microsoft/Phi-3.5-mini-instruct", scores: { mmlu: 69.0, gpqa: 30.4, math: 48.5, humaneval: 62.8, mbpp: 69.6 }, source: "https://huggingface.co/microsoft/Phi-3.5-mini-instruct" },
  { family: "Phi-3.5", model: "microsoft/Phi-3.5-MoE-instruct", scores: { mmlu: 78.9, gpqa: 36.8, math: 59.5, humaneval: 70.7, mbpp: 80.8 }, source: "https://huggingface.co/microsoft/Phi-3.5-MoE-instruct" },
  { family: "Phi-4", model: "microsoft/phi-4", scores: { mmlu: 84.8, gpqa_diamond: 56.1, math: 80.4, humaneval: 82.6, ifeval: 63.0, arena_hard: 75.4 }, source: "https://arxiv.org/abs/2412.08905" },
  { family: "Phi-4", model: "microsoft/Phi-4-mini-instruct", scores: { mmlu: 67.3, mmlu_pro: 52.8, math: 64.0, humaneval: 74.4, mbpp: 65.3, arena_hard: 32.8 }, source: "https://huggingface.co/microsoft/Phi-4-mini-instruct", curve: false },
  { family: "Phi-4", model: "microsoft/Phi-4-mini-reasoning", scores: { math500: 94.6, gpqa_diamond: 52.0 }, source: "https://huggingface.co/microsoft/Phi-4-mini-reasoning", note: "transcribed from the card as remembered, without network access in the session that added it: check against the card", curve: false },
  { family: "Phi-4", model: "microsoft/Phi-4-reasoning", scores: { aime24: 75.3, aime25: 62.9, gpqa_diamond: 65.8, livecodebench: 53.8 }, source: "https://huggingface.co/microsoft/Phi-4-reasoning", curve: false },
  { family: "Phi-4", model: "microsoft/Phi-4-reasoning-plus", scores: { aime24: 81.3, aime25: 78.0, gpqa_diamond: 68.9, livecodebench: 53.1 }, source: "https://huggingface.co/microsoft/Phi-4-reasoning-plus", curve: false },

  // --- DeepSeek.
  { family: "DeepSeek Coder", model: "deepseek-ai/deepseek-coder-1.3b-instruct", scores: { humaneval: 65.2, mbpp: 49.4 }, source: "https://arxiv.org/abs/2401.14196" },
  { family: "DeepSeek Coder", model: "deepseek-ai/deepseek-coder-6.7b-instruct", scores: { humaneval: 78.6, mbpp: 65.4 }, source: "https://arxiv.org/abs/2401.14196" },
  { family: "DeepSeek Coder V2", model: "deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct", scores: { mmlu: 60.1, humaneval: 81.1, mbpp: 68.8, livecodebench: 24.3, math: 61.8 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-Coder-V2-Instruct", note: "MBPP+" },
  { family: "DeepSeek Coder V2", model: "deepseek-ai/DeepSeek-Coder-V2-Instruct", scores: { mmlu: 79.2, humaneval: 90.2, mbpp: 76.2, livecodebench: 43.4, math: 75.7 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-Coder-V2-Instruct", note: "MBPP+" },
  { family: "DeepSeek V3", model: "deepseek-ai/DeepSeek-V3", scores: { mmlu: 88.5, mmlu_redux: 89.1, mmlu_pro: 75.9, gpqa_diamond: 59.1, math500: 90.2, aime24: 39.2, livecodebench: 40.5, ifeval: 86.1, arena_hard: 85.5 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-V3" },
  { family: "DeepSeek V3", model: "deepseek-ai/DeepSeek-V3-0324", scores: { mmlu_pro: 81.2, gpqa_diamond: 68.4, aime24: 59.4, livecodebench: 49.2 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-V3-0324", curve: false },
  // DeepSeek V3.1 (hybrid): its card's thinking-mode column, as the Qwen3 hybrids are recorded; Terminus and V3.2-Exp
  // publish the reasoning mode only (without tools). LiveCodeBench 2408-2505 on all three cards.
  { family: "DeepSeek V3.1", model: "deepseek-ai/DeepSeek-V3.1", scores: { mmlu_redux: 93.7, mmlu_pro: 84.8, gpqa_diamond: 80.1, livecodebench: 74.8, aime24: 93.1, aime25: 88.4 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-V3.1", note: "thinking mode; the card's non-thinking column: MMLU-Redux 91.8, MMLU-Pro 83.7, GPQA-Diamond 74.9, LiveCodeBench 56.4, AIME 2024 66.3, AIME 2025 49.8; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "DeepSeek V3.1", model: "deepseek-ai/DeepSeek-V3.1-Terminus", scores: { mmlu_pro: 85.0, gpqa_diamond: 80.7, livecodebench: 74.9 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-V3.1-Terminus", note: "reasoning mode, without tools; transcribed from the card as remembered, without network access in the session that added it: check against the card", curve: false },
  { family: "DeepSeek V3.2", model: "deepseek-ai/DeepSeek-V3.2-Exp", scores: { mmlu_pro: 85.0, gpqa_diamond: 79.9, livecodebench: 74.1, aime25: 89.3 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-V3.2-Exp", note: "reasoning mode, without tools; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "DeepSeek R1", model: "deepseek-ai/DeepSeek-R1", scores: { mmlu: 90.8, mmlu_redux: 92.9, mmlu_pro: 84.0, gpqa_diamond: 71.5, math500: 97.3, aime24: 79.8, livecodebench: 65.9, ifeval: 83.3, arena_hard: 92.3 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-R1" },
  { family: "DeepSeek R1", model: "deepseek-ai/DeepSeek-R1-0528", scores: { mmlu_redux: 93.4, mmlu_pro: 85.0, gpqa_diamond: 81.0, aime24: 91.4, aime25: 87.5, livecodebench: 73.3 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-R1-0528", curve: false },
  // R1 distills: the R1 card's distilled-model table (AIME'24 pass@1, MATH-500, GPQA-Diamond, LiveCodeBench 2408-2501).
  ...[
    ["deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", { aime24: 28.9, math500: 83.9, gpqa_diamond: 33.8, livecodebench: 16.9 }],
    ["deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", { aime24: 55.5, math500: 92.8, gpqa_diamond: 49.1, livecodebench: 37.6 }],
    ["deepseek-ai/DeepSeek-R1-Distill-Llama-8B", { aime24: 50.4, math500: 89.1, gpqa_diamond: 49.0, livecodebench: 39.6 }],
    ["deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", { aime24: 69.7, math500: 93.9, gpqa_diamond: 59.1, livecodebench: 53.1 }],
    ["deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", { aime24: 72.6, math500: 94.3, gpqa_diamond: 62.1, livecodebench: 57.2 }],
    ["deepseek-ai/DeepSeek-R1-Distill-Llama-70B", { aime24: 70.0, math500: 94.5, gpqa_diamond: 65.2, livecodebench: 57.5 }],
  ].map(([model, scores]) => ({ family: "DeepSeek R1 Distill", model, scores, source: "https://huggingface.co/deepseek-ai/DeepSeek-R1" }) as QualityRowInput),
  { family: "DeepSeek R1 Distill", model: "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", scores: { aime24: 86.0, aime25: 76.3, gpqa_diamond: 61.1, livecodebench: 60.5 }, source: "https://huggingface.co/deepseek-ai/DeepSeek-R1-0528", curve: false },

  // --- Other families.
  { family: "gpt-oss", model: "openai/gpt-oss-20b", scores: { mmlu: 85.3, gpqa_diamond: 71.5, aime24: 92.1, aime25: 91.7 }, source: "https://arxiv.org/abs/2508.10925", note: "high reasoning effort, no tools" },
  { family: "gpt-oss", model: "openai/gpt-oss-120b", scores: { mmlu: 90.0, gpqa_diamond: 80.1, aime24: 95.8, aime25: 92.5 }, source: "https://arxiv.org/abs/2508.10925", note: "high reasoning effort, no tools" },
  { family: "GLM-4.5", model: "zai-org/GLM-4.5-Air", scores: { mmlu_pro: 81.4, gpqa_diamond: 75.0, aime24: 89.4, math500: 98.1, livecodebench: 70.7 }, source: "https://z.ai/blog/glm-4.5" },
  { family: "GLM-4.5", model: "zai-org/GLM-4.5", scores: { mmlu_pro: 84.6, gpqa_diamond: 79.1, aime24: 91.0, math500: 98.2, livecodebench: 72.9 }, source: "https://z.ai/blog/glm-4.5" },
  { family: "Kimi K2", model: "moonshotai/Kimi-K2-Instruct", scores: { mmlu: 89.5, mmlu_redux: 92.7, mmlu_pro: 81.1, gpqa_diamond: 75.1, aime24: 69.6, aime25: 49.5, math500: 97.4, livecodebench: 53.7, ifeval: 89.8 }, source: "https://huggingface.co/moonshotai/Kimi-K2-Instruct", note: "LiveCodeBench v6" },
  // Kimi K2 Thinking (card: without tools; LiveCodeBench v6).
  { family: "Kimi K2", model: "moonshotai/Kimi-K2-Thinking", scores: { mmlu_pro: 84.6, mmlu_redux: 94.4, gpqa_diamond: 84.5, aime25: 94.5, livecodebench: 83.1 }, source: "https://huggingface.co/moonshotai/Kimi-K2-Thinking", note: "thinking, without tools; LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card", curve: false },
  // GLM-4.6 and 4.7 (Z.ai's release posts; thinking, without tools; LiveCodeBench v6; GPQA is the Diamond set) and
  // GLM-4.7-Flash (its card's comparison with Qwen3-30B-A3B-Thinking-2507 and gpt-oss-20b).
  { family: "GLM-4.6", model: "zai-org/GLM-4.6", scores: { gpqa_diamond: 81.0, aime25: 93.9, livecodebench: 82.8 }, source: "https://z.ai/blog/glm-4.6", note: "without tools (with tools: AIME 2025 98.6, LiveCodeBench 84.5); LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "GLM-4.7", model: "zai-org/GLM-4.7", scores: { mmlu_pro: 84.3, gpqa_diamond: 85.7, aime25: 95.7, livecodebench: 84.9 }, source: "https://z.ai/blog/glm-4.7", note: "without tools; LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "GLM-4.7", model: "zai-org/GLM-4.7-Flash", scores: { gpqa_diamond: 75.2, aime25: 91.6, livecodebench: 64.0 }, source: "https://huggingface.co/zai-org/GLM-4.7-Flash", note: "without tools; LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  // MiniMax-M1 (card: the 80k and 40k thinking-budget models; LiveCodeBench 24/8-25/5) and MiniMax-M2 (its card's
  // "intelligence benchmarks" table, which reports Artificial Analysis' measurements, in whole points).
  ...[
    ["MiniMaxAI/MiniMax-M1-80k", { aime24: 86.0, aime25: 76.9, math500: 96.8, livecodebench: 65.0, gpqa_diamond: 70.0, mmlu_pro: 81.1 }],
    ["MiniMaxAI/MiniMax-M1-40k", { aime24: 83.3, aime25: 74.6, math500: 96.0, livecodebench: 62.3, gpqa_diamond: 69.2, mmlu_pro: 80.6 }],
  ].map(([model, scores]) => ({ family: "MiniMax-M1", model, scores, source: "https://huggingface.co/MiniMaxAI/MiniMax-M1-80k", note: "transcribed from the card as remembered, without network access in the session that added it: check against the card" }) as QualityRowInput),
  { family: "MiniMax-M2", model: "MiniMaxAI/MiniMax-M2", scores: { mmlu_pro: 82, gpqa_diamond: 78, aime25: 78, livecodebench: 83 }, source: "https://huggingface.co/MiniMaxAI/MiniMax-M2", note: "Artificial Analysis' measurements as the card prints them (its own protocol, whole points); transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  // Reasoning models of 2025 from their cards (thinking on; GPQA-Diamond unless noted).
  { family: "Seed-OSS", model: "ByteDance-Seed/Seed-OSS-36B-Instruct", scores: { mmlu_pro: 82.7, gpqa_diamond: 71.4, aime24: 91.7, aime25: 84.7, livecodebench: 67.4 }, source: "https://huggingface.co/ByteDance-Seed/Seed-OSS-36B-Instruct", note: "unlimited thinking budget; LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "EXAONE 4.0", model: "LGAI-EXAONE/EXAONE-4.0-32B", scores: { mmlu_redux: 92.3, mmlu_pro: 81.8, gpqa_diamond: 75.4, aime25: 85.3, livecodebench: 66.7, ifeval: 83.7 }, source: "https://huggingface.co/LGAI-EXAONE/EXAONE-4.0-32B", note: "reasoning mode (the card also reports a non-reasoning mode); LiveCodeBench v6 (v5: 72.6); transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "Nemotron Nano 2", model: "nvidia/NVIDIA-Nemotron-Nano-9B-v2", scores: { aime25: 72.1, math500: 97.8, gpqa: 64.0, livecodebench: 71.1, ifeval: 90.3 }, source: "https://huggingface.co/nvidia/NVIDIA-Nemotron-Nano-9B-v2", note: "reasoning on; GPQA as the card labels it; IFEval instruction-level strict; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "Nemotron 3 Nano", model: "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", scores: { mmlu_pro: 78.3, gpqa_diamond: 73.0, aime25: 89.1, livecodebench: 68.3 }, source: "https://huggingface.co/nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16", note: "reasoning on, without tools; LiveCodeBench v6; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  // DeepCoder (card: LiveCodeBench 2024-08-01 to 2025-02-01, the R1 distills' window; AIME 2024).
  { family: "DeepCoder", model: "agentica-org/DeepCoder-14B-Preview", scores: { livecodebench: 60.6, aime24: 73.8 }, source: "https://huggingface.co/agentica-org/DeepCoder-14B-Preview", note: "a reasoning (long chain-of-thought) coder; its HumanEval+ 92.6 is not HumanEval and is not recorded; transcribed from the card as remembered, without network access in the session that added it: check against the card" },
  { family: "MiMo", model: "XiaomiMiMo/MiMo-7B-RL", scores: { aime24: 68.2, aime25: 55.4, math500: 95.8, gpqa_diamond: 54.4, livecodebench: 57.8 }, source: "https://huggingface.co/XiaomiMiMo/MiMo-7B-RL", note: "LiveCodeBench v5" },
  ...[
    ["LGAI-EXAONE/EXAONE-Deep-2.4B", { aime24: 52.5, aime25: 47.9, math500: 92.3, gpqa_diamond: 54.3, livecodebench: 46.6 }],
    ["LGAI-EXAONE/EXAONE-Deep-7.8B", { aime24: 70.0, aime25: 59.6, math500: 94.8, gpqa_diamond: 62.6, livecodebench: 55.2 }],
    ["LGAI-EXAONE/EXAONE-Deep-32B", { aime24: 72.1, aime25: 65.8, math500: 95.7, gpqa_diamond: 66.1, livecodebench: 59.5 }],
  ].map(([model, scores]) => ({ family: "EXAONE Deep", model, scores, source: "https://huggingface.co/LGAI-EXAONE/EXAONE-Deep-32B" }) as QualityRowInput),
  ...[
    ["bigcode/starcoder2-3b", 31.7, 57.4],
    ["bigcode/starcoder2-7b", 35.4, 54.4],
    ["bigcode/starcoder2-15b", 46.3, 66.2],
  ].map(([model, humaneval, mbpp]) => ({ family: "StarCoder2", model, scores: { humaneval, mbpp }, source: "https://arxiv.org/abs/2402.19173", note: "base (pretrained) models" }) as QualityRowInput),
  { family: "Yi-Coder", model: "01-ai/Yi-Coder-9B-Chat", scores: { humaneval: 85.4, mbpp: 73.8, livecodebench: 23.4 }, source: "https://huggingface.co/01-ai/Yi-Coder-9B-Chat" },
  { family: "CodeGeeX4", model: "THUDM/codegeex4-all-9b", scores: { humaneval: 82.3, mbpp: 75.7 }, source: "https://huggingface.co/THUDM/codegeex4-all-9b" },
];

/** The table, validated at load: a malformed row fails the first import (and the test suite), never a request. */
export const QUALITY_TABLE: readonly QualityRow[] = Object.freeze(ROWS.map((r) => QualityRowSchema.parse(r)));
