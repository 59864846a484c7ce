// Model categories (use cases): the closed list, apart from the schema so light modules can name them without zod.

export const CATEGORIES = ["general", "coding", "reasoning", "chat", "multimodal", "embedding"] as const;
export type Category = (typeof CATEGORIES)[number];
