// The dashboard's frame: header and navigation, light/dark, the sign-in form when the agent wants a token, and the view
// the URL names. Moving to another view puts the keyboard and screen reader focus on its heading.
import { useEffect, useRef, useState } from "preact/hooks";
import { needsSignIn, onAuthChange, setToken, storedToken } from "./api.js";
import { href, useRoute, type View } from "./route.js";
import { applyTheme, themeChoice, type ThemeChoice } from "./theme.js";
import { MachineView } from "./views/machine.js";
import { ModelView } from "./views/model.js";
import { ModelsView } from "./views/models.js";
import { NodeView } from "./views/node.js";
import { ScatterView } from "./views/scatter.js";

const TITLES: Readonly<Record<View, string>> = {
  home: "Node",
  models: "Models",
  model: "Model",
  scatter: "Speed vs memory",
  machine: "Another machine",
  missing: "Not found",
};

const NAV: ReadonlyArray<[Exclude<View, "missing" | "model">, string]> = [
  ["home", "Node"],
  ["models", "Models"],
  ["scatter", "Speed vs memory"],
  ["machine", "Another machine"],
];

function SignIn({ refused }: { refused: boolean }) {
  const [value, setValue] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <section class="panel sign-in" aria-labelledby="signin-h">
      <h1 id="signin-h">Sign in</h1>
      <p>This agent asks for its access token (the one it was started with: --token-file or NODEFIT_TOKEN). It is kept in this tab only, until you close it.</p>
      {refused && (
        <p class="error" role="alert">
          The agent refused this token. Check it and try again.
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim() !== "") setToken(value.trim());
        }}
      >
        <div class="field">
          <label for="token">Access token</label>
          <input ref={input} id="token" name="token" type="password" autocomplete="current-password" value={value} onInput={(e) => setValue((e.target as HTMLInputElement).value)} required />
        </div>
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </section>
  );
}

function ThemeSelect() {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice());
  return (
    <div class="theme">
      <label for="theme">Theme</label>
      <select
        id="theme"
        value={choice}
        onChange={(e) => {
          const v = (e.target as HTMLSelectElement).value as ThemeChoice;
          setChoice(v);
          applyTheme(v);
        }}
      >
        <option value="auto">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}

export function App() {
  const route = useRoute();
  const [, setAuth] = useState(0);
  // Each sign-in makes the views load again, with the token.
  const [epoch, setEpoch] = useState(0);
  useEffect(
    () =>
      onAuthChange(() => {
        setAuth((n) => n + 1);
        if (!needsSignIn()) setEpoch((n) => n + 1);
      }),
    [],
  );
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const routeKey = `${route.view}/${route.name ?? ""}`;
  useEffect(() => {
    document.title = `${route.view === "model" && route.name ? route.name : TITLES[route.view]} · nodefit`;
    if (first.current) {
      first.current = false;
      return;
    }
    // A new view: its heading takes the focus (once it is drawn), so keyboards and screen readers start there.
    requestAnimationFrame(() => {
      const h1 = main.current?.querySelector("h1");
      if (h1 instanceof HTMLElement) h1.focus({ preventScroll: false });
      else main.current?.focus();
    });
  }, [routeKey]);

  const signIn = needsSignIn();
  const signedIn = storedToken() !== null;
  const current = route.view === "model" ? "models" : route.view;
  let view;
  switch (route.view) {
    case "home":
      view = <NodeView />;
      break;
    case "models":
      view = <ModelsView params={route.params} />;
      break;
    case "model":
      view = <ModelView name={route.name!} params={route.params} />;
      break;
    case "scatter":
      view = <ScatterView params={route.params} />;
      break;
    case "machine":
      view = <MachineView params={route.params} />;
      break;
    default:
      view = (
        <>
          <h1 tabIndex={-1}>Not found</h1>
          <p>
            Nothing here. <a href={href("home")}>Back to the node</a>.
          </p>
        </>
      );
  }
  return (
    <>
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <a class="brand" href={href("home")}>
          <span class="logo" aria-hidden="true">
            n
          </span>
          nodefit
        </a>
        <nav aria-label="Views">
          <ul>
            {NAV.map(([v, t]) => (
              <li key={v}>
                <a href={href(v)} aria-current={current === v ? "page" : undefined}>
                  {t}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="tools">
          <ThemeSelect />
          {signedIn && (
            <button type="button" onClick={() => setToken(null)}>
              Sign out
            </button>
          )}
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {signIn ? <SignIn refused={signedIn} /> : <div key={`${epoch}`}>{view}</div>}
      </main>
      <footer>
        nodefit agent · <a href="/api/v1/openapi.json">API (OpenAPI)</a>
      </footer>
    </>
  );
}
