// Memory sizes unified-memory chips and boards are sold with, for the shapes a plan checks: Apple chips whose every GPU
// configuration has one bandwidth (the variants told apart by memory are in hardware/knowledge/apple.ts), and boards
// whose chip the knowledge base lists without a memory size (Strix Halo).

export interface SoldMemory {
  sizesGb: readonly number[];
  source: string;
  /** Set when the sizes are not the maker's list for this part but taken from another (assumed). */
  assumed?: string;
}

export const APPLE_CHIP_MEMORY: Readonly<Record<string, SoldMemory>> = {
  "apple-m1": { sizesGb: [8, 16], source: "Apple MacBook Air (M1, 2020) technical specifications: 8GB or 16GB" },
  "apple-m1-pro": { sizesGb: [16, 32], source: "Apple MacBook Pro (14-inch, 2021) technical specifications: M1 Pro, 16GB or 32GB" },
  "apple-m1-max": { sizesGb: [32, 64], source: "Apple MacBook Pro (14-inch, 2021) technical specifications: M1 Max, 32GB or 64GB" },
  "apple-m1-ultra": { sizesGb: [64, 128], source: "Apple Mac Studio (2022) technical specifications: M1 Ultra, 64GB or 128GB" },
  "apple-m2": { sizesGb: [8, 16, 24], source: "Apple MacBook Air (M2, 2022) technical specifications: 8GB, 16GB or 24GB" },
  "apple-m2-pro": { sizesGb: [16, 32], source: "Apple Mac mini (2023) technical specifications: M2 Pro, 16GB or 32GB" },
  "apple-m2-max": { sizesGb: [32, 64, 96], source: "Apple MacBook Pro (14-inch, 2023) technical specifications: M2 Max, 32GB, 64GB or 96GB" },
  "apple-m2-ultra": { sizesGb: [64, 128, 192], source: "Apple Mac Studio (2023) technical specifications: M2 Ultra, 64GB, 128GB or 192GB" },
  "apple-m3": { sizesGb: [8, 16, 24], source: "Apple MacBook Air (M3, 2024) technical specifications: 8GB, 16GB or 24GB" },
  "apple-m3-pro": { sizesGb: [18, 36], source: "Apple MacBook Pro (14-inch, Nov 2023) technical specifications: M3 Pro, 18GB or 36GB" },
  "apple-m3-ultra": { sizesGb: [96, 256, 512], source: "Apple Mac Studio (2025) technical specifications: M3 Ultra, 96GB, 256GB or 512GB" },
  "apple-m4": { sizesGb: [16, 24, 32], source: "Apple Mac mini (2024) technical specifications: M4, 16GB, 24GB or 32GB" },
  "apple-m4-pro": { sizesGb: [24, 48, 64], source: "Apple Mac mini (2024) technical specifications: M4 Pro, 24GB, 48GB or 64GB" },
  "apple-m5": { sizesGb: [16, 24, 32], source: "Apple MacBook Pro (14-inch, M5) technical specifications: 16GB, 24GB or 32GB" },
  "apple-m5-pro": {
    sizesGb: [24, 48, 64],
    source: "the M4 Pro's configurations",
    assumed: "the M5 Pro's memory configurations are taken to be the M4 Pro's (24GB, 48GB or 64GB)",
  },
};

export const UNIFIED_BOARD_MEMORY: Readonly<Record<string, SoldMemory>> = {
  "amd-radeon-8060s": { sizesGb: [64, 128], source: "Framework Desktop configurations: Ryzen AI Max+ 395 (Radeon 8060S) with 64GB or 128GB" },
  "amd-radeon-8050s": { sizesGb: [32], source: "Framework Desktop configurations: Ryzen AI Max 385 (Radeon 8050S) with 32GB" },
};
