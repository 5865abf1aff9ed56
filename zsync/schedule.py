"""Unit files and crontab lines for running zsync unattended, made for the user's own set-up.

Start times are spread: each library gets its own minute of the hour, derived from its id
(stable from one `zsync schedule` to the next, different between libraries and users), so
the scheduled runs of many people, or of two computers syncing one library, do not all
reach Zotero at the same moment. systemd adds a random delay on top, launchd uses the
same minute.
"""

from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass
from pathlib import Path

HOUR_OF_DAILY_RUN = 6
# How far systemd may move each start at random, on top of the library's own minute.
RANDOM_DELAY = {"hourly": "5m", "daily": "30m"}


def spread_minute(library: str) -> int:
    """The minute of the hour (0-59) at which runs for `library` start; stable per id."""
    digest = hashlib.sha256(library.strip().encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % 60


@dataclass(frozen=True)
class Job:
    """What the scheduler runs: `zsync <command> <paths>` with a config file."""

    executable: Path
    command: str  # "sync" or "refresh"
    paths: tuple[Path, ...]
    config: Path | None
    every: str = "daily"
    report_dir: Path | None = None
    library: str = ""  # "users/123": what the start minute is derived from
    log_dir: Path = Path("/tmp")

    def argv(self) -> list[str]:
        args = [str(self.executable)]
        if self.config:
            args += ["--config", str(self.config)]
        args += ["--quiet", "--log-format", "json", self.command]
        if self.command == "sync":  # refresh reads the library, not notes
            args += [str(p) for p in self.paths]
        if self.report_dir:
            args += ["--report", str(self.report_dir / f"zsync-{self.command}.html"),
                     "--format", "html"]
        return args

    def shell(self) -> str:
        return shlex.join(self.argv())

    @property
    def minute(self) -> int:
        return spread_minute(self.library or " ".join(str(p) for p in self.paths))

    @property
    def log_file(self) -> Path:
        return self.log_dir / f"zsync-{self.command}.log"


def systemd(job: Job) -> str:
    """A service and a timer, for ~/.config/systemd/user/ (see docs/scheduling.md); `%`
    starts a specifier in unit files and is doubled."""
    hour = f"{HOUR_OF_DAILY_RUN:02d}" if job.every == "daily" else "*"
    return f"""# ~/.config/systemd/user/zsync-{job.command}.service
[Unit]
Description=zsync {job.command}: keep the Zotero library in step with my notes
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart={job.shell().replace("%", "%%")}
# Keys belong in an environment file readable only by you (chmod 600):
# EnvironmentFile=%h/.config/zsync/env

# ~/.config/systemd/user/zsync-{job.command}.timer
[Unit]
Description=Run zsync {job.command} {job.every}

[Timer]
OnCalendar=*-*-* {hour}:{job.minute:02d}:00
Persistent=true
RandomizedDelaySec={RANDOM_DELAY[job.every]}

[Install]
WantedBy=timers.target
"""


def cron(job: Job) -> str:
    """One crontab line that makes its log folder first; zsync's lock makes an overlapping
    run stop at once. `%` is special to cron and is escaped."""
    hour = str(HOUR_OF_DAILY_RUN) if job.every == "daily" else "*"
    folder = shlex.quote(str(job.log_dir))
    command = (f"mkdir -p {folder} && {job.shell()} "
               f"2>> {shlex.quote(str(job.log_file))}")
    return f"{job.minute} {hour} * * * {command.replace('%', chr(92) + '%')}\n"


def launchd(job: Job) -> str:
    """A LaunchAgent property list for ~/Library/LaunchAgents/."""
    args = "\n".join(f"    <string>{_xml(a)}</string>" for a in job.argv())
    when = f"    <key>Minute</key>\n    <integer>{job.minute}</integer>"
    if job.every == "daily":
        when = f"    <key>Hour</key>\n    <integer>{HOUR_OF_DAILY_RUN}</integer>\n{when}"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<!-- ~/Library/LaunchAgents/org.zsync.{job.command}.plist -->
<plist version="1.0">
<dict>
  <key>Label</key>
  <string>org.zsync.{job.command}</string>
  <key>ProgramArguments</key>
  <array>
{args}
  </array>
  <key>StartCalendarInterval</key>
  <dict>
{when}
  </dict>
  <key>StandardErrorPath</key>
  <string>{_xml(str(job.log_file))}</string>
</dict>
</plist>
"""


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RENDERERS = {"systemd": systemd, "cron": cron, "launchd": launchd}
