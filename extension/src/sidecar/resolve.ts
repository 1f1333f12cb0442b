// Sidecar command resolution (the shared extension contract):
//   1. trackit.sidecar.path (explicit command)
//   2. the frozen sidecar shipped in the VSIX: <extensionPath>/sidecar-bin/trackit/trackit(.exe)
//   3. a Python that can `import trackit_sidecar` (trackit.sidecar.pythonPath, else python3/python on PATH)
//      -> `python -m trackit_sidecar serve`
//   4. otherwise an error that says what to do.
// The decision logic is pure; the file-system and process probes are injected (ResolveIo).
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";

export interface SidecarCommand {
  command: string;
  args: string[]; // includes `serve --db <dbPath>`
  source: "setting" | "bundled" | "python";
  description: string;
}
export type Resolution = { ok: true; value: SidecarCommand } | { ok: false; message: string };

export interface ResolveInput {
  platform: NodeJS.Platform;
  extensionPath: string;
  dbPath: string;
  sidecarPath?: string; // already filtered for workspace trust by config.ts
  pythonPath?: string;
}
export interface ResolveIo {
  isFile(p: string): boolean;
  /** Absolute path of `name` on PATH, or undefined. */
  which(name: string): string | undefined;
  /** True when `python -c "import trackit_sidecar"` exits 0. */
  canImportSidecar(python: string): Promise<boolean>;
}

export function bundledSidecarPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, "sidecar-bin", "trackit", platform === "win32" ? "trackit.exe" : "trackit");
}

export const NO_SIDECAR_MESSAGE =
  "TrackIT could not find its sidecar: no bundled sidecar in this install and no Python that can " +
  "`import trackit_sidecar`. Install it with `pip install trackit-sidecar` into a Python on PATH, or set " +
  "\"trackit.sidecar.pythonPath\" to a Python that has it, or \"trackit.sidecar.path\" to a sidecar command.";

export async function resolveSidecar(input: ResolveInput, io: ResolveIo): Promise<Resolution> {
  const serveArgs = ["serve", "--db", input.dbPath];
  const explicit = input.sidecarPath?.trim();
  if (explicit) {
    // A path with spaces that is a real file is one program; otherwise "python -m trackit_sidecar" style.
    const [command, ...prefix] = io.isFile(explicit) ? [explicit] : splitCommandLine(explicit);
    return {
      ok: true,
      value: { command, args: [...prefix, ...serveArgs], source: "setting", description: `trackit.sidecar.path (${explicit})` },
    };
  }
  const bundled = bundledSidecarPath(input.extensionPath, input.platform);
  if (io.isFile(bundled)) {
    return { ok: true, value: { command: bundled, args: serveArgs, source: "bundled", description: `bundled sidecar (${bundled})` } };
  }
  const configuredPython = input.pythonPath?.trim();
  const candidates: string[] = [];
  if (configuredPython) {
    candidates.push(configuredPython);
  } else {
    for (const name of input.platform === "win32" ? ["python", "python3"] : ["python3", "python"]) {
      const found = io.which(name);
      if (found && !candidates.includes(found)) candidates.push(found);
    }
  }
  for (const python of candidates) {
    if (await io.canImportSidecar(python)) {
      return {
        ok: true,
        value: { command: python, args: ["-m", "trackit_sidecar", ...serveArgs], source: "python", description: `${python} -m trackit_sidecar` },
      };
    }
  }
  if (configuredPython) {
    return {
      ok: false,
      message: `TrackIT: the Python in "trackit.sidecar.pythonPath" (${configuredPython}) cannot \`import trackit_sidecar\`. ` +
        "Install it there (`pip install trackit-sidecar`) or clear the setting.",
    };
  }
  return { ok: false, message: NO_SIDECAR_MESSAGE };
}

/** Splits a command line on whitespace, honouring "double" and 'single' quotes. */
export function splitCommandLine(line: string): string[] {
  const parts: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null) parts.push(m[1] ?? m[2] ?? m[3]);
  return parts;
}

// ---------------------------------------------------------------- real probes
export const nodeResolveIo: ResolveIo = {
  isFile(p) {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
  which(name) {
    const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE").split(";") : [""];
    for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
      if (!dir) continue;
      for (const ext of exts) {
        const full = path.join(dir, name + ext);
        if (existsSync(full)) return full;
      }
    }
    return undefined;
  },
  canImportSidecar(python) {
    return new Promise((resolve) => {
      let settled = false;
      const done = (ok: boolean) => {
        if (!settled) {
          settled = true;
          resolve(ok);
        }
      };
      try {
        const child = spawn(python, ["-c", "import trackit_sidecar"], { stdio: "ignore", windowsHide: true });
        const timer = setTimeout(() => {
          child.kill();
          done(false);
        }, 15_000);
        child.on("error", () => {
          clearTimeout(timer);
          done(false);
        });
        child.on("exit", (code) => {
          clearTimeout(timer);
          done(code === 0);
        });
      } catch {
        done(false);
      }
    });
  },
};
