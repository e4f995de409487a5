"""Small helper shared by the export scripts: merge one part into DIR/model-set.json."""
import json
import os


def update_manifest(directory, part, spec, name=None):
    path = os.path.join(directory, "model-set.json")
    if os.path.exists(path):
        with open(path) as f:
            manifest = json.load(f)
    else:
        # A skeleton that passes `v2a models check` on its own; the CLIP embedder export replaces "embedder".
        manifest = {
            "name": name or os.path.basename(os.path.abspath(directory)),
            "embedder": {"kind": "builtin-pixel", "dim": 512},
            "mapper": {"kind": "identity"},
            "generator": {"kind": "builtin-procedural"},
        }
    if name:
        manifest["name"] = name
    manifest[part] = spec
    with open(path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return path
