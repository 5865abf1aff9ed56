"""Benchmark: what an unattended `zsync sync` costs when little or nothing changed.

For each vault size, N notes in the seeds' Markdown bullet form (tests/sync/notes.py) go
into a temporary folder; the Crossref and PubMed emulators hold the same N works
(tests/servers/generate.py, one seed) and the Zotero emulator starts with an empty user
library. All three run on 127.0.0.1 in this process. `zsync sync FOLDER` runs once as a
subprocess to fill the library; then the `zsync` command is timed as a whole process, as
a scheduler would start it (interpreter start-up, imports, state, requests, report):

- noop_s: a run with nothing changed (median of --repeat runs);
- one_changed_s: a run after one note file was edited (a different note each time);
- one_item_changed_s: a run after one item was edited in Zotero by another client;
- startup_s: `zsync --version`;
- noop_zotero_requests: requests a no-op run sent to Zotero (the minimum is 1);
- the same figures with _cpu_s: CPU seconds of the process (user + system), which other
  processes on the machine disturb less than wall time.

--keep DIR keeps each size's vault, state, cache and emulated library in DIR after its first
sync and starts from them next time (same --n and --seed): an untimed run first plans
everything again for the code as it now is (reported as warmup_s), then the timings as
above. It makes trying a change on 10,000 or 50,000 notes a matter of a minute.

--profile DIR also writes a cProfile of one no-op run, one run after a note changed and one
after an item changed, per size (DIR/noop-N.prof, one-changed-N.prof, one-item-N.prof).

The main size is --n (default 10,000); `growth` repeats the figures for --growth sizes
(default 1,000 and --n; --with-50k adds 50,000, which takes long: its first sync
alone runs for many minutes on a small machine). Load averages are reported with the
figures, since other processes on the machine slow every run.

    python bench/noop.py [--n 10000] [--growth 1000,10000] [--with-50k] [--repeat 3]

Progress goes to stderr; the last line on stdout is a JSON object.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import pickle
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.servers.crossref import crossref_server, generate_works  # noqa: E402
from tests.servers.crossref.app import CrossrefApp  # noqa: E402
from tests.servers.generate import iter_generate  # noqa: E402
from tests.servers.pubmed import generate_articles, pubmed_server  # noqa: E402
from tests.servers.pubmed.app import PubMedApp  # noqa: E402
from tests.servers.zotero import ZoteroServer, zotero_server  # noqa: E402
from tests.servers.zsync_env import emulated_env  # noqa: E402
from tests.sync.notes import markdown_note  # noqa: E402

# `zsync ARGS` under cProfile, the statistics written to the first argument.
PROFILED = ("import cProfile, sys; out = sys.argv[1]; sys.argv = ['zsync', *sys.argv[2:]]; "
            "from zsync.cli import main; cProfile.run('main()', out)")
KEY = "benchZoteroKey0123456789abcdef"
USER = 1
REF = f"users/{USER}"


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def zsync_command() -> list[str]:
    """The installed `zsync` next to this interpreter, else the package's entry point."""
    installed = Path(sys.executable).with_name("zsync")
    if installed.exists():
        return [str(installed)]
    return [sys.executable, "-c", "from zsync.cli import main; main()"]


NONCE = int(time.time())  # edits differ from those of an earlier run over a kept vault
CPU_TIMES: list[float] = []  # CPU seconds of each timed process, less noisy than wall time


def timed(command: list[str], env: dict[str, str]) -> float:
    """Wall time of one `zsync` process (its CPU time goes to CPU_TIMES); a failing run
    stops the benchmark."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_TIMES.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if done.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(command[-3:])} exited {done.returncode}:\n"
                         f"{done.stderr[-2000:]}")
    return wall


def median_of(repeat: int, prepare: Callable[[int], None],
              run: Callable[[], float]) -> tuple[float, float]:
    """Medians of wall and CPU seconds over `repeat` runs, each after `prepare(round)`."""
    times = []
    cpu = []
    for round_ in range(repeat):
        prepare(round_)
        times.append(run())
        cpu.append(CPU_TIMES[-1])
    return round(statistics.median(times), 3), round(statistics.median(cpu), 3)


def measure(n: int, seed: int, repeat: int, profile: Path | None,
            keep: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = keep / f"n{n}-seed{seed}" if keep is not None else Path(tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        kept = Kept(tmp)
        with crossref_server(recorded=False, port=kept.port("crossref")) as cr, \
                pubmed_server(recorded=False, port=kept.port("pubmed")) as pm, \
                zotero_server(user_id=USER, key=KEY, port=kept.port("zotero")) as zot:
            kept.ports = {"crossref": cr.port, "pubmed": pm.port, "zotero": zot.port}
            figures = measure_in(tmp, kept, (cr, pm, zot), n, seed, repeat, profile)
            if keep is not None:
                kept.save(zot)
            return figures


class Kept:
    """What --keep saved of a size: the servers' ports (the state file names the library by
    its address) and the emulated Zotero library, next to the vault, state and cache."""

    def __init__(self, folder: Path) -> None:
        self.meta = folder / "kept.json"
        self.library = folder / "zotero.pickle"
        self.ports: dict[str, int] = (json.loads(self.meta.read_text())["ports"]
                                      if self.meta.exists() and self.library.exists() else {})

    @property
    def restored(self) -> bool:
        return bool(self.ports)

    def port(self, name: str) -> int:
        """The kept port when it is free (else any: the record cache, keyed by address,
        then misses once and the warm-up run asks the emulators again)."""
        port = self.ports.get(name, 0)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return 0
        return port

    def restore(self, zot: ZoteroServer) -> None:
        with self.library.open("rb") as stream:
            zot.app.libraries = pickle.load(stream)

    def save(self, zot: ZoteroServer) -> None:
        with self.library.open("wb") as stream:
            pickle.dump(zot.app.libraries, stream, protocol=pickle.HIGHEST_PROTOCOL)
        self.meta.write_text(json.dumps({"ports": self.ports}))


def measure_in(tmp: Path, kept: Kept, servers: tuple[Any, Any, ZoteroServer], n: int,
               seed: int, repeat: int, profile: Path | None) -> dict[str, Any]:
    cr, pm, zot = servers
    cast(CrossrefApp, cr.app).add_works(generate_works(n, seed))
    cast(PubMedApp, pm.app).add_articles(generate_articles(n, seed))
    notes = tmp / "notes"
    restored = kept.restored and notes.is_dir()
    notes.mkdir(exist_ok=True)
    works = {}
    for work in iter_generate(n, seed):
        path = notes / f"note-{work.index:06d}.md"
        if not restored:
            path.write_text(markdown_note(work), encoding="utf-8")
        works[path] = work
    env = {
        **{k: v for k, v in os.environ.items()
           if not k.startswith(("ZOTERO_", "ZSYNC_", "NCBI_", "CROSSREF_"))},
        **emulated_env(tmp, zotero=zot.url, crossref=cr.url, pubmed=pm.url, key=KEY, user=USER),
        "XDG_CONFIG_HOME": str(tmp / "xdg"),
    }
    sync = [*zsync_command(), "-q", "sync", str(notes)]
    if restored:
        kept.restore(zot)
        say(f"{n} notes kept in {tmp}: a run that plans everything again ...")
    else:
        say(f"{n} notes: first sync ...")
    first = timed(sync, env)
    say(f"  {first:.1f} s")

    zot.reset_log()
    noop, noop_cpu = median_of(repeat, lambda _: None, lambda: timed(sync, env))
    noop_requests = len(zot.log) / repeat
    say(f"  no-op {noop:.2f} s ({noop_cpu:.2f} s CPU), {noop_requests:g} Zotero requests")
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        profiled(profile / f"noop-{n}.prof", notes, env)

    paths = sorted(works)

    def edit_note(round_: int) -> None:
        path = paths[(round_ * 7919) % len(paths)]
        path.write_text(markdown_note(works[path], thoughts=f"read again ({NONCE}-{round_})"),
                        encoding="utf-8")

    one_changed, one_changed_cpu = median_of(repeat, edit_note, lambda: timed(sync, env))
    say(f"  one note changed {one_changed:.2f} s ({one_changed_cpu:.2f} s CPU)")
    if profile is not None:
        edit_note(repeat)
        profiled(profile / f"one-changed-{n}.prof", notes, env)

    one_item, one_item_cpu = median_of(repeat, lambda r: edit_in_zotero(zot, r),
                                       lambda: timed(sync, env))
    say(f"  one item changed in Zotero {one_item:.2f} s ({one_item_cpu:.2f} s CPU)")
    if profile is not None:
        edit_in_zotero(zot, repeat)
        profiled(profile / f"one-item-{n}.prof", notes, env)

    startup, startup_cpu = median_of(max(repeat, 5), lambda _: None,
                                     lambda: timed([*zsync_command(), "--version"], env))
    say(f"  zsync --version {startup:.3f} s ({startup_cpu:.3f} s CPU)")
    return {"n": n, ("warmup_s" if restored else "first_sync_s"): round(first, 2), "noop_s": noop,
        "one_changed_s": one_changed, "one_item_changed_s": one_item,
        "startup_s": startup, "noop_cpu_s": noop_cpu, "one_changed_cpu_s": one_changed_cpu,
        "one_item_changed_cpu_s": one_item_cpu, "startup_cpu_s": startup_cpu,
        "noop_zotero_requests": noop_requests}


def profiled(out: Path, notes: Path, env: dict[str, str]) -> None:
    """One `zsync sync` under cProfile, its statistics written to `out`."""
    timed([sys.executable, "-c", PROFILED, str(out), "-q", "sync", str(notes)], env)
    say(f"  profile: {out}")


def edit_in_zotero(zot: ZoteroServer, round_: int) -> None:
    """Another client tags one of the library's items."""
    items = sorted(key for key, data in zot.app.items(REF).items()
                   if data.get("itemType") != "note" and not data.get("parentItem"))
    key = items[(round_ * 104_729) % len(items)]
    tags = zot.app.item(key, REF).get("tags", [])
    zot.app.edit_item(REF, key, {"tags": [*tags, {"tag": f"bench-{NONCE}-{round_}"}]})


def compiled() -> None:
    """zsync's bytecode written beforehand, as an installed zsync has it (a checkout run
    with PYTHONDONTWRITEBYTECODE would otherwise compile every module in every run)."""
    compileall.compile_dir(REPO / "zsync", quiet=1)


def main() -> None:
    compiled()
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--growth", default="1000",
                        help="comma-separated further sizes (besides --n) to measure")
    parser.add_argument("--with-50k", action="store_true", help="also measure 50,000 notes")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write cProfiles of the timed kinds of run here")
    parser.add_argument("--keep", type=Path, help="keep and reuse each size's first sync here")
    args = parser.parse_args()
    sizes = {args.n, *(int(s) for s in args.growth.split(",") if s.strip())}
    if args.with_50k:
        sizes.add(50_000)
    load_before = os.getloadavg()
    figures = {n: measure(n, args.seed, args.repeat, args.profile, args.keep) for n in sorted(sizes)}
    main_figures = figures[args.n]
    summary: dict[str, Any] = {
        **main_figures,
        "growth": {str(n): {k: v for k, v in f.items() if k != "n"} for n, f in figures.items()},
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
