import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { NodefitError } from "../domain/errors.js";
import { exitCodeOf } from "./exit-code.js";

describe("exitCodeOf", () => {
  it.each([
    [new CommanderError(0, "commander.helpDisplayed", "(outputHelp)"), 0],
    [new CommanderError(1, "commander.unknownOption", "error: unknown option"), 2],
    [new NodefitError("invalid_argument", "invalid sort value: use ..."), 2],
    [new NodefitError("model_not_found", "no model"), 1],
    [new NodefitError("invalid_input_file", "bad file"), 1],
    [new Error("bug"), 1],
  ])("%s -> %i", (e, code) => {
    expect(exitCodeOf(e)).toBe(code);
  });
});
