"""A user's own lookup layer, added as the pipeline's docstring shows (a script, run as a
user runs one): what it finds is marked with its origin, is never sent to the model,
and is not kept in the cache."""
from __future__ import annotations

import subprocess
import sys

SCRIPT = r'''
import sys
from translate import Translator
from translate.pipeline.chain import Layer
from translate.translation import Translation


class Wire(Layer):
    """A news agency's own English for its Arabic wire copy."""

    origin = "wire"

    def __init__(self, rows):
        self.rows = rows

    def find(self, sources, signature):
        return {s: Translation(self.rows[s]) for s in sources if s in self.rows}


wire = Wire({"قصف روسي على حلب.": "Russian shelling of Aleppo."})
translator = Translator.from_options(sys.argv[1], cache_dir=sys.argv[2], layers=[wire])
document = translator.translate("قصف روسي على حلب. وأعلنت الفصائل سيطرتها على تلة جديدة.")
for pair in document.sentences:
    print(pair.origin, "|", pair.translation)
print("cached:", sorted(translator.cache.find(translator.raw_signature.key, [p.source for p in document.sentences])))
'''


def test_a_users_layer_answers_before_the_cache_and_the_model(tiny_model, tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tiny_model), str(tmp_path / "cache")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "wire | Russian shelling of Aleppo."
    assert lines[1].startswith("model | ")
    # Only the model's translation is kept in the cache, never the layer's.
    assert lines[2] == "cached: ['وأعلنت الفصائل سيطرتها على تلة جديدة.']"
