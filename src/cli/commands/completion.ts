// azpol completion bash|zsh|pwsh: a shell completion script for azpol's commands and their
// flags, made from the command definitions themselves, so it never drifts from --help.
import { Argument, type Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";

interface Spec {
  name: string;
  flags: string[];
}

function specs(program: Command): Spec[] {
  return program.commands.map((c) => ({ name: c.name(), flags: [...c.options.map((o) => o.long ?? o.short ?? ""), "--help"].filter(Boolean) }));
}

function bash(all: Spec[]): string {
  const cases = all.map((s) => `    ${s.name}) opts="${s.flags.join(" ")}" ;;`).join("\n");
  return `# azpol bash completion: source <(azpol completion bash)
_azpol() {
  local cur=\${COMP_WORDS[COMP_CWORD]} opts
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "${all.map((s) => s.name).join(" ")} --help --version --no-color" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi
}
complete -o filenames -F _azpol azpol
`;
}

function zsh(all: Spec[]): string {
  const cases = all.map((s) => `    ${s.name}) _arguments ${s.flags.map((f) => `'${f}'`).join(" ")} '*:file:_files' ;;`).join("\n");
  return `#compdef azpol
# azpol zsh completion: azpol completion zsh > "\${fpath[1]}/_azpol"
_azpol() {
  if (( CURRENT == 2 )); then
    compadd ${all.map((s) => s.name).join(" ")}
    return
  fi
  case "$words[2]" in
${cases}
  esac
}
compdef _azpol azpol
`;
}

function pwsh(all: Spec[]): string {
  const table = all.map((s) => `  '${s.name}' = @(${s.flags.map((f) => `'${f}'`).join(", ")})`).join("\n");
  return `# azpol PowerShell completion: azpol completion pwsh | Out-String | Invoke-Expression
$azpolFlags = @{
${table}
}
Register-ArgumentCompleter -Native -CommandName azpol -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = $commandAst.CommandElements | ForEach-Object { $_.ToString() }
  if ($words.Count -le 1 -or ($words.Count -eq 2 -and $wordToComplete)) {
    $candidates = $azpolFlags.Keys
  } else {
    $candidates = $azpolFlags[$words[1]]
  }
  $candidates | Where-Object { $_ -like "$wordToComplete*" } | Sort-Object | ForEach-Object {
    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
  }
}
`;
}

export function registerCompletion(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("completion")
    .description("print a shell completion script: bash, zsh or pwsh")
    .addArgument(new Argument("<shell>", "the shell").choices(["bash", "zsh", "pwsh"]))
    .addHelpText("after", "\nbash: source <(azpol completion bash)\nzsh: azpol completion zsh > \"${fpath[1]}/_azpol\"\npwsh: azpol completion pwsh | Out-String | Invoke-Expression")
    .action(io.handler((shell: "bash" | "zsh" | "pwsh") => {
      const all = specs(program);
      output.out({ bash, zsh, pwsh }[shell](all));
      return ExitCode.Ok;
    }));
}
