"""`zsync completion bash|zsh|fish`: print the shell's completion script, touch no file."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from typer.completion import completion_init, get_completion_script

from zsync.cli.app import app

PROG = "zsync"
COMPLETE_VAR = "_ZSYNC_COMPLETE"

# The shell asks `zsync` for candidates through $_ZSYNC_COMPLETE; these classes answer it.
completion_init()


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


HOW_TO_LOAD = {
    Shell.bash: "# Load now: eval \"$(zsync completion bash)\"; for every shell, add that line "
                "to ~/.bashrc.",
    Shell.zsh: "# Load now: eval \"$(zsync completion zsh)\"; for every shell, add that line "
               "to ~/.zshrc (after compinit).",
    Shell.fish: "# Save as ~/.config/fish/completions/zsync.fish: "
                "zsync completion fish > ~/.config/fish/completions/zsync.fish",
}


@app.command()
def completion(
    shell: Annotated[Shell, typer.Argument(help="The shell to complete in.")],
) -> None:
    """Print the completion script for bash, zsh or fish (nothing is installed).

    Load it with `eval "$(zsync completion bash)"` in ~/.bashrc (zsh: ~/.zshrc), or for
    fish save it as ~/.config/fish/completions/zsync.fish.
    """
    script = get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=shell.value)
    typer.echo(f"{HOW_TO_LOAD[shell]}\n{script}")
