"""The bilingual reader: ``python app.py`` serves it on http://127.0.0.1:7860.

``python app.py --batch FILE_OR_DIR... [--out DIR]`` runs the batch translator
instead (the same as the ``translate`` command) without importing Gradio.
"""
from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--batch" in argv:
        from translate.cli import main as batch_main

        return batch_main(["batch", *(arg for arg in argv if arg != "--batch")])
    port = os.environ.get("GRADIO_SERVER_PORT")
    if port is not None:  # Gradio reads it on import and would fail with a traceback
        from translate.options import port_number

        try:
            port_number(port)
        except argparse.ArgumentTypeError as error:
            print(f"python app.py: error: $GRADIO_SERVER_PORT: {error}", file=sys.stderr)
            return 2
    from translate.web.serve import main as reader_main

    return reader_main(argv)


if __name__ == "__main__":
    sys.exit(main())
