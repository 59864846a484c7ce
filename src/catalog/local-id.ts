// Ids of models no Hugging Face repository names: `local/<name>`, the name made safe for an id.

/** `local/` and the name with every run of characters an id cannot hold made one dash ("gemma 4 19b" -> local/gemma-4-19b). */
export const localModelId = (name: string): string => `local/${name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "model"}`;
