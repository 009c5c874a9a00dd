"""Where the profile comes from: options, then CREDROI_* environment variables, then a profile file, then defaults.

The profile file is TOML with docs/model.md's profile keys (``salary = 90000``). Its default place
is the user config directory (:mod:`credroi.userdirs`); ``--profile FILE`` or ``CREDROI_PROFILE`` name
another one. Nothing here writes except :func:`write_profile_file`, which replaces atomically
and never overwrites unless asked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from credroi.model.profile import PROFILE_FIELDS, PROFILE_KEYS, SETTINGS, Setting

ENV_PROFILE = "CREDROI_PROFILE"
PROFILE_FILE_NAME = "profile.toml"
MAX_PROFILE_BYTES = 64 * 1024

Value = float | str


class SettingError(Exception):
    """A profile value that cannot be used; ``where`` names its source (option, variable or file)."""

    def __init__(self, where: str, message: str, *, usage: bool) -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.message = message
        self.usage = usage
        """True for options and environment variables (exit 2), False for a file (exit 1)."""


def default_profile_path() -> Path:
    """The profile file used when none is named: ``<user config dir>/credroi/profile.toml``."""
    from credroi.userdirs import user_dir

    return user_dir("config") / PROFILE_FILE_NAME


def parse_value(key: str, raw: object) -> Value:
    """A profile value from text or a TOML/JSON scalar; :class:`ValueError` with a short reason."""
    return SETTINGS[key].parse(raw)


@dataclass(frozen=True, slots=True)
class Resolved:
    """The values given for a profile (a key absent = the model's default) and where each came from."""

    values: dict[str, Value]
    sources: dict[str, str]
    """For every key: ``--salary``, ``CREDROI_SALARY``, ``profile FILE`` or ``default``."""
    file: Path | None
    """The profile file that was read, if any."""


def resolve(
    options: Mapping[str, Value | None],
    environ: Mapping[str, str],
    profile_file: Path | None = None,
    option_names: Mapping[str, str] | None = None,
) -> Resolved:
    """Merge the sources, highest first: options, environment, profile file, defaults.

    ``profile_file`` names a file that must exist (``--profile``); without it ``CREDROI_PROFILE``
    does the same, else the default file is read when it exists.
    """
    names = option_names or {}
    values: dict[str, Value] = {}
    sources: dict[str, str] = {}
    path, required = profile_file, profile_file is not None
    if path is None and environ.get(ENV_PROFILE):
        path, required = Path(environ[ENV_PROFILE]), True
    if path is None:
        path = default_profile_path()
    from_file = read_profile_file(path) if required or path.is_file() else None
    for setting in PROFILE_FIELDS:
        key, given, env_name = setting.name, options.get(setting.name), setting.env
        if given is not None:
            values[key], sources[key] = given, names.get(key, setting.option)
        elif environ.get(env_name, "").strip():
            try:
                values[key] = setting.parse(environ[env_name])
            except ValueError as err:
                raise SettingError(env_name, str(err), usage=True) from None
            sources[key] = env_name
        elif from_file is not None and key in from_file:
            values[key], sources[key] = from_file[key], f"profile {path}"
        else:
            sources[key] = "default"
    return Resolved(values=values, sources=sources, file=path if from_file is not None else None)


def read_profile_file(path: Path) -> dict[str, Value]:
    """The values of a TOML profile file; :class:`SettingError` naming the file, line or key."""
    import tomllib

    shown = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_PROFILE_BYTES + 1)
    except FileNotFoundError:
        raise SettingError(shown, "no such profile file", usage=False) from None
    except IsADirectoryError:
        raise SettingError(shown, "is a directory, not a profile file", usage=False) from None
    except OSError as err:
        raise SettingError(shown, f"cannot read: {err.strerror or err}", usage=False) from None
    if len(data) > MAX_PROFILE_BYTES:
        raise SettingError(shown, f"larger than {MAX_PROFILE_BYTES // 1024} KiB: not a profile file", usage=False)
    try:
        text = data.decode("utf-8-sig")
        table = tomllib.loads(text)
    except UnicodeDecodeError:
        raise SettingError(shown, "is not valid UTF-8 text", usage=False) from None
    except tomllib.TOMLDecodeError as err:
        raise SettingError(shown, f"invalid TOML: {err}", usage=False) from None
    out: dict[str, Value] = {}
    problems = []
    for key, raw in table.items():
        if key not in PROFILE_KEYS:
            from credroi.hints import did_you_mean

            problems.append(f"{key}: unknown key{did_you_mean(key, PROFILE_KEYS)}")
            continue
        try:
            out[key] = SETTINGS[key].parse(raw)
        except ValueError as err:
            problems.append(f"{key}: {err}")
    if problems:
        raise SettingError(shown, "; ".join(problems), usage=False)
    return out


def profile_template(values: Mapping[str, Value | None]) -> str:
    """A commented TOML profile: each key with its value, or commented out when it has none."""
    lines = [
        "# credroi profile: your defaults for every command.",
        "# Options on the command line and CREDROI_* environment variables override these values;",
        "# a line that is commented out or deleted falls back to the model's default.",
        "# Keys and defaults: docs/model.md. Check the result with `credroi profile show`.",
        "",
    ]
    for setting in PROFILE_FIELDS:
        key, spec, value = setting.name, setting.spec, values.get(setting.name)
        if value is None:
            line = f"# {key} = {spec.example}"
        elif isinstance(value, str):
            line = f'{key} = "{value}"'
        else:
            whole = float(value).is_integer() and abs(value) < 2**53
            line = f"{key} = {int(value)}" if whole else f"{key} = {float(value)!r}"  # every digit kept
        lines.append(f"{line:<32}# {_template_help(setting)}")
    return "\n".join(lines) + "\n"


def _template_help(setting: Setting) -> str:
    """The comment of a template line: the help in lower case, without its full stop, and a computed default."""
    spec = setting.spec
    text = spec.help[:1].lower() + spec.help[1:].rstrip(".")
    if spec.choices:
        *most, last = spec.choices
        text += f": {', '.join(most)} or {last}"
    if spec.default_text is not None:
        text += f" (default: {spec.default_text})"
    return text


class ProfileExistsError(FileExistsError):
    """The profile file is already there (and ``force`` was not given)."""


def write_profile_file(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file, then a rename); never overwrite unless ``force``.

    :class:`ProfileExistsError` if the file exists; another :class:`OSError` if it cannot be
    written (a file where its folder should be is ``NotADirectoryError``, not "already exists").
    """
    if path.exists() and not force:
        raise ProfileExistsError(str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # something that is not a folder stands on the way
        import errno

        raise NotADirectoryError(errno.ENOTDIR, "a file stands where its folder should be", str(path.parent)) from None
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".profile-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if not force and path.exists():
            raise ProfileExistsError(str(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
