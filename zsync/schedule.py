"""Unit files and crontab lines for running zsync unattended, made for the user's own set-up."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

INTERVALS = {"hourly": ("hourly", "0 * * * *", 3600), "daily": ("daily", "15 6 * * *", 86400)}


@dataclass(frozen=True)
class Job:
    """What the scheduler runs: `zsync <command> <paths>` with a config file."""

    executable: Path
    command: str  # "sync" or "refresh"
    paths: tuple[Path, ...]
    config: Path | None
    every: str = "daily"
    report_dir: Path | None = None

    def argv(self) -> list[str]:
        args = [str(self.executable)]
        if self.config:
            args += ["--config", str(self.config)]
        args += ["--quiet", "--log-format", "json", self.command]
        args += [str(p) for p in self.paths]
        if self.report_dir:
            args += ["--report", str(self.report_dir / f"zsync-{self.command}.html"),
                     "--format", "html"]
        return args

    def shell(self) -> str:
        return shlex.join(self.argv())


def systemd(job: Job) -> str:
    """A service and a timer, for ~/.config/systemd/user/ (see docs/scheduling.md)."""
    calendar = INTERVALS[job.every][0]
    return f"""# ~/.config/systemd/user/zsync-{job.command}.service
[Unit]
Description=zsync {job.command}: keep the Zotero library in step with my notes
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart={job.shell()}
# Keys belong in an environment file readable only by you (chmod 600):
# EnvironmentFile=%h/.config/zsync/env

# ~/.config/systemd/user/zsync-{job.command}.timer
[Unit]
Description=Run zsync {job.command} {job.every}

[Timer]
OnCalendar={calendar}
Persistent=true
RandomizedDelaySec=10m

[Install]
WantedBy=timers.target
"""


def cron(job: Job) -> str:
    """One crontab line; zsync's lock makes an overlapping run stop at once."""
    schedule = INTERVALS[job.every][1]
    return f"{schedule} {job.shell()} 2>> $HOME/.local/state/zsync-cron.log\n"


def launchd(job: Job) -> str:
    """A LaunchAgent property list for ~/Library/LaunchAgents/."""
    seconds = INTERVALS[job.every][2]
    args = "\n".join(f"    <string>{_xml(a)}</string>" for a in job.argv())
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
  <key>StartInterval</key>
  <integer>{seconds}</integer>
  <key>StandardErrorPath</key>
  <string>/tmp/zsync-{job.command}.log</string>
</dict>
</plist>
"""


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


RENDERERS = {"systemd": systemd, "cron": cron, "launchd": launchd}
