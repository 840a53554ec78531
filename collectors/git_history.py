"""Every commit of a git-hosted price file (git-history style): the commits as releases, the blob as the member.

The repository is read as data with `git log` and `git show` (no checkout, no hooks, no pager, fsmonitor off);
nothing from it is executed.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from tokentide.collectors.errors import BadSourceUrl
from tokentide.collectors.pypi_index import Release
from tokentide.collectors.wheel_member import MemberMissing, MemberRead
from tokentide.warehouse.clock import to_naive_utc

AS_OF_BASIS = "git commit time"
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.pager=cat", "--no-pager")


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *_SAFE, "-C", str(repo), *args], capture_output=True, check=False)  # noqa: S603, S607


def list_commits(repo: Path, path: str) -> list[Release]:
    """The commits that touched `path`, oldest first, each as a Release dated by its committer time."""
    done = _git(repo, "log", "--format=%H %cI", "--reverse", "--", path)
    if done.returncode != 0:
        raise BadSourceUrl(f"{repo} is not a readable git repository: {done.stderr.decode(errors='replace').strip()}")
    releases = []
    for line in done.stdout.decode().splitlines():
        sha, when = line.split(" ", 1)
        releases.append(Release(
            version=sha[:12], filename=f"{sha[:12]}:{path}", url=f"git+{repo.resolve().as_uri()}@{sha}",
            uploaded_at=to_naive_utc(datetime.fromisoformat(when)), size_bytes=None, sha256=None,
        ))  # fmt: skip
    return releases


def read_blob(repo: Path, release: Release, path: str) -> MemberRead:
    """The file's exact bytes at that commit; a commit that deleted it has no member."""
    sha = release.url.rsplit("@", 1)[1]
    done = _git(repo, "show", f"{sha}:{path}")
    if done.returncode != 0:
        raise MemberMissing(f"{path} is not in commit {sha[:12]}")
    return MemberRead(done.stdout, len(done.stdout), "git", 1, None)
