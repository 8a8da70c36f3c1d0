#!/usr/bin/env python3
"""Refresh the vendored CloudFormation resource schemas.

Reads the CloudFormation registry schemas shipped in the cfn-lint PyPI
package (pinned below) and writes every `AWS::*` resource type to
``crates/formwork-spec/schemas/``:

* ``<namespace>/<aws-x-y>.json``      one schema per resource type
                                      (the us-east-1 version, else the first
                                      region alphabetically that has it)
* ``regions.json``                    which regions have which type, and
                                      where a region's schema differs
* ``lambda-runtime-lifecycle.json``   Lambda runtime lifecycle dates
* ``SOURCE.md``                       provenance and how to refresh

If the importable ``cfnlint`` is not the pinned version (or is missing), the
pinned version is installed into a temporary virtual environment and read
from there, so the output only depends on the pin.

Usage: python3 scripts/refresh-schemas.py

Standard library only. Idempotent: running it twice leaves no diff.
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

CFN_LINT_VERSION = "1.51.0"

PREFERRED_REGION = "us-east-1"

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "formwork-spec" / "schemas"


def log(msg: str) -> None:
    print(msg, file=sys.stderr)


def installed_cfnlint_dir() -> Path | None:
    """The directory of the importable cfnlint package, if it is the pinned version."""
    try:
        version = importlib.metadata.version("cfn-lint")
    except importlib.metadata.PackageNotFoundError:
        return None
    if version != CFN_LINT_VERSION:
        log(f"installed cfn-lint is {version}, want {CFN_LINT_VERSION}")
        return None
    spec = importlib.util.find_spec("cfnlint")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def venv_cfnlint_dir(tmp: Path) -> Path:
    """Install the pinned cfn-lint into a venv under `tmp`; return its package dir."""
    env_dir = tmp / "venv"
    log(f"creating venv in {env_dir} for cfn-lint=={CFN_LINT_VERSION}")
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = "Scripts" if os.name == "nt" else "bin"
    python = env_dir / bindir / ("python.exe" if os.name == "nt" else "python")
    # Only the package's data files are read, so its dependencies are not needed.
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            f"cfn-lint=={CFN_LINT_VERSION}",
        ],
        check=True,
    )
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import importlib.util; "
            "print(list(importlib.util.find_spec('cfnlint').submodule_search_locations)[0])",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(out.stdout.strip())


def read_provider(path: Path) -> dict[str, str]:
    """Parse `types: dict[str, str] = {...}` from a provider module without importing it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        target = None
        if isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        if isinstance(target, ast.Name) and target.id == "types" and value is not None:
            types = ast.literal_eval(value)
            if not isinstance(types, dict):
                break
            return {str(k): str(v) for k, v in types.items()}
    raise SystemExit(f"{path}: no `types` mapping found")


def selected(type_name: str) -> bool:
    """Every `AWS::<Namespace>::<Type>` resource type of the registry.

    Left out: `Alexa::ASK::Skill` and `AMZN::SDC::Deployment` (not `AWS::`)
    and cfn-lint's `Module` placeholder.
    """
    parts = type_name.split("::")
    return len(parts) == 3 and parts[0] == "AWS"


def file_name(type_name: str) -> str:
    return type_name.replace("::", "-").lower() + ".json"


def dumps(value: object, sort_keys: bool = False) -> str:
    return json.dumps(value, indent=2, sort_keys=sort_keys, ensure_ascii=False) + "\n"


def write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    path.write_text(text, encoding="utf-8", newline="\n")


def generate(cfnlint_dir: Path) -> None:
    data = cfnlint_dir / "data"
    providers_dir = data / "schemas" / "providers"
    resources_dir = data / "schemas" / "resources"

    # region -> {type -> hash}
    providers: dict[str, dict[str, str]] = {}
    for path in sorted(providers_dir.glob("*.py")):
        if path.name.startswith("_"):
            continue
        region = path.stem.replace("_", "-")
        providers[region] = read_provider(path)
    regions = sorted(providers)
    if PREFERRED_REGION not in providers:
        raise SystemExit(f"no provider for {PREFERRED_REGION} in {providers_dir}")

    # type -> {region -> hash}
    by_type: dict[str, dict[str, str]] = {}
    for region in regions:
        for type_name, digest in providers[region].items():
            if selected(type_name):
                by_type.setdefault(type_name, {})[region] = digest
    type_names = sorted(by_type)

    # Remove schemas of types that disappeared upstream.
    expected = {OUT / t.split("::")[1].lower() / file_name(t) for t in type_names}
    for ns_dir in sorted(p for p in OUT.iterdir() if p.is_dir()):
        for stale in sorted(ns_dir.glob("*.json")):
            if stale not in expected:
                stale.unlink()
        if not any(ns_dir.iterdir()):
            ns_dir.rmdir()

    types_regions: dict[str, list[str]] = {}
    schema_differs: dict[str, list[str]] = {}
    for type_name in type_names:
        per_region = by_type[type_name]
        source_region = PREFERRED_REGION if PREFERRED_REGION in per_region else sorted(per_region)[0]
        digest = per_region[source_region]
        schema_path = resources_dir / f"{digest}.json"
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        if schema.get("typeName") != type_name:
            raise SystemExit(f"{schema_path}: typeName {schema.get('typeName')!r} != {type_name}")
        ns = type_name.split("::")[1]
        write_if_changed(OUT / ns.lower() / file_name(type_name), dumps(schema))
        types_regions[type_name] = sorted(per_region)
        differs = sorted(r for r, h in per_region.items() if h != digest)
        if differs:
            schema_differs[type_name] = differs

    index: dict[str, object] = {"regions": regions, "types": types_regions}
    if schema_differs:
        index["schema_differs"] = schema_differs
    write_if_changed(OUT / "regions.json", dumps(index))

    lifecycle = json.loads(
        (data / "AdditionalSpecs" / "LmbdRuntimeLifecycle.json").read_text(encoding="utf-8")
    )
    write_if_changed(OUT / "lambda-runtime-lifecycle.json", dumps(lifecycle, sort_keys=True))

    only_elsewhere = [t for t in type_names if PREFERRED_REGION not in by_type[t]]
    namespaces = sorted({t.split("::")[1] for t in type_names}, key=str.lower)
    ns_lines = "\n".join(
        f"- `{ns}` ({sum(1 for t in type_names if t.split('::')[1] == ns)} types)"
        for ns in namespaces
    )
    elsewhere = (
        "\n".join(f"- `{t}` (from {sorted(by_type[t])[0]})" for t in only_elsewhere)
        if only_elsewhere
        else "- none"
    )
    source_md = f"""# Vendored CloudFormation resource schemas

These files are **data**, generated by `scripts/refresh-schemas.py`. Never
edit them by hand: change the script (or its pinned version) and rerun it.

## Source

- Package: [`cfn-lint`](https://pypi.org/project/cfn-lint/) on PyPI, which
  ships the official CloudFormation registry schemas
  (`cfnlint/data/schemas/providers/<region>.py` maps each type to a schema
  hash, `cfnlint/data/schemas/resources/<hash>.json` is the schema) and
  `cfnlint/data/AdditionalSpecs/LmbdRuntimeLifecycle.json`.
- cfn-lint ships the schemas with its own patches applied (extra `format`s
  such as `AWS::EC2::VPC.Id`, some `oneOf`/`anyOf`, `requiredXor`,
  `dependentExcluded`, ...) and with almost all `description` fields removed.
- Version: {CFN_LINT_VERSION}
- Regions: {len(regions)}
- Namespaces: {len(namespaces)}
- Types: {len(type_names)} ({len(type_names) - len(only_elsewhere)} in {PREFERRED_REGION})

## Namespaces

{ns_lines}

## Layout

- `<namespace lowercase>/<aws-x-y>.json`: one schema per resource type, the
  {PREFERRED_REGION} version, else the first region alphabetically that has it.
  Key order is kept as published (property order matters for output).
- `regions.json`: `regions` (all regions), `types` (type → regions that have
  it), `schema_differs` (type → regions whose schema differs from the vendored one).
- `lambda-runtime-lifecycle.json`: Lambda runtime deprecation and block dates.

Types not available in {PREFERRED_REGION}:

{elsewhere}

## Refresh

```sh
python3 scripts/refresh-schemas.py
```

Uses the importable `cfnlint` if it is version {CFN_LINT_VERSION}; otherwise
installs `cfn-lint=={CFN_LINT_VERSION}` into a temporary virtual environment.
To move to a newer release, change `CFN_LINT_VERSION` in the script, rerun it,
and review the diff. Running it twice gives no diff.
"""
    write_if_changed(OUT / "SOURCE.md", source_md)
    log(f"wrote {len(type_names)} schemas from cfn-lint {CFN_LINT_VERSION} to {OUT}")


def main() -> None:
    cfnlint_dir = installed_cfnlint_dir()
    if cfnlint_dir is not None:
        generate(cfnlint_dir)
        return
    tmp = Path(tempfile.mkdtemp(prefix="formwork-cfnlint-"))
    try:
        generate(venv_cfnlint_dir(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
