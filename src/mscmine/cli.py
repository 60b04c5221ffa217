"""Command line: ``mscmine extract``, ``show``, ``summarize``, ``eval``, ``export-annotations``,
``import-annotations`` (each with ``--help`` and examples).

Exit status of ``extract``: 0 when every input was read, 1 when some inputs failed (listed on
stderr and in ``OUT.errors.jsonl``), 2 for a usage error, 130 when interrupted (Ctrl-C). The
batch machinery (pool, journal, resume) is `mscmine.batch`; this module parses and reports.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from pathlib import Path

from . import __version__
from .summary import summarize_records  # also importable from here, as before

log = logging.getLogger("mscmine")


def _collect_inputs(paths: list[str]) -> tuple[list[Path], list[dict]]:
    """(files, error rows of paths that matched nothing) from files, folders and globs (see `mscmine.batch.collect_inputs`)."""
    from .batch import collect_inputs

    inputs = collect_inputs(paths)
    return [Path(it.path) for it in inputs if it.error is None], [it.error for it in inputs if it.error is not None]


def cmd_extract(args: argparse.Namespace) -> int:
    """Files, folders and globs → OUT, through `mscmine.batch.extract_to`; progress and messages here."""
    from contextlib import ExitStack

    from . import batch
    from .progress import Progress, choose_mode
    from .writers import output_format

    out = args.output
    try:
        if out != "-" and Path(out).is_dir():
            raise ValueError(f"{out} is a folder; give a file name such as {Path(out) / 'records.jsonl'}")
        output_format(out)
        if out == "-" and args.resume:
            raise ValueError("--resume needs an output file (-o OUT), not standard output")
    except ValueError as exc:
        print(f"mscmine extract: {exc}", file=sys.stderr)
        return 2
    inputs = batch.collect_inputs(args.paths)
    if not inputs:
        print(f"mscmine extract: no input files in {' '.join(args.paths)} (looked for .pdf .html .htm .txt .md)", file=sys.stderr)
        return 2
    quiet = args.quiet
    state: dict = {}

    def on_start(n: int, skipped: list) -> None:
        for it, why in skipped:
            log.info("%s: skipped, %s", it.path, why)
        state["todo"] = n
        state["progress"] = stack.enter_context(Progress(n, choose_mode(quiet)))

    def on_result(res: dict) -> None:
        for w in res["warnings"]:
            log.warning("warning: %s: %s", res["path"], w)
        if res["error"]:
            log.error("error: %s", res["error"]["message"])
        else:
            log.info("%s: %d records (%.2f s)", res["path"], len(res["records"]), res["seconds"])
        state["progress"].update()

    with ExitStack() as stack:
        try:
            summary = batch.extract_to(out, inputs, resume=args.resume, workers=args.workers, max_bytes=args.max_bytes,
                                       timeout=args.timeout or None, on_start=on_start, on_result=on_result)
        except BrokenPipeError:  # `mscmine extract ... -o - | head`
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        except (OSError, RuntimeError) as exc:
            print(f"mscmine extract: {exc}", file=sys.stderr)
            return 1
    where = "standard output" if out == "-" else out
    if summary.interrupted:
        print(f"mscmine: interrupted after {summary.read + summary.failed} of {state.get('todo', 0)} files; "
              f"{summary.records} records written to {where}"
              + ("; rerun with --resume to read the rest" if out != "-" else ""), file=sys.stderr)
        return 130
    if not quiet:
        line = f"mscmine: {summary.read} of {state.get('todo', 0)} files read"
        if summary.skipped:
            line += f" ({summary.skipped} already in {out})"
        line += f", {summary.records} records written to {where}"
        if summary.failed:
            line += f", {summary.failed} failed" + (f" (listed in {summary.errors_path})" if summary.errors_path else "")
        print(line, file=sys.stderr)
    return 1 if summary.failed else 0


def cmd_summarize(args: argparse.Namespace) -> int:
    from .writers import read_records

    try:
        records = read_records(args.records)
    except (OSError, ValueError) as exc:
        print(f"mscmine summarize: {args.records}: {exc}", file=sys.stderr)
        return 2
    summary = summarize_records(records)
    print(f"{len(records)} records: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["scope"].items(), key=lambda kv: str(kv[0]))))
    for title, key in (("study records per disease", "disease"), ("study records per cell source", "cell_source")):
        print(f"\n{title}:")
        for code, n in summary[key].most_common():
            print(f"  {code:<16} {n:>4}")
    if args.output:
        from .summary import write_summary

        try:
            written = write_summary(records, args.output)
        except OSError as exc:
            print(f"mscmine summarize: {args.output}: {exc}", file=sys.stderr)
            return 2
        print(f"\nreport: {len(written)} files written to {args.output} (summary.md, tables as CSV, charts as PNG)")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .errors import MscmineError
    from .viewer import view_html, write_view

    try:
        if args.output == "-":
            sys.stdout.write(view_html(args.file))
        else:
            write_view(args.file, args.output)
    except MscmineError as exc:
        print(f"mscmine show: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"mscmine show: {args.output}: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: say which file, not a traceback
        print(f"mscmine show: {args.file}: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if args.output != "-" and not getattr(args, "quiet", False):
        print(f"mscmine: view of {args.file} written to {args.output}", file=sys.stderr)
    return 0


def cmd_eval_facts(args: argparse.Namespace) -> int:
    """``mscmine eval --facts GOLD --texts TEXTS``: document-level facts, mscmine beside the naive script."""
    from .evaluation import facts

    if not args.texts:
        print("mscmine eval: --facts needs --texts TEXT_DIR (the folder of the pages' texts, <id>.txt)", file=sys.stderr)
        return 2
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in facts.SYSTEMS]
    if unknown or not names:
        print(f"mscmine eval: unknown system {', '.join(unknown) or '(none)'}; known: {', '.join(facts.SYSTEMS)}",
              file=sys.stderr)
        return 2
    try:
        reports = [facts.score_facts(args.facts, args.texts, facts.SYSTEMS[n], n) for n in names]
    except (OSError, ValueError) as exc:
        print(f"mscmine eval: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump({"reports": [r.to_dict() for r in reports]}, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(facts.format_fact_report(reports))
        if args.misses:
            for r in reports:
                print()
                print(facts.format_misses(r, show_check=args.show_check_misses))
    if args.save_baseline:
        import datetime

        figures = facts.baseline_figures(reports, datetime.date.today().isoformat())
        Path(args.save_baseline).write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
        print(f"figures written to {args.save_baseline}", file=sys.stderr)
    for page in reports[0].missing_texts:
        why = reports[0].unreadable.get(page)
        print(f"mscmine eval: {page}: " + (f"text unreadable ({why})" if why else f"no text in {args.texts}")
              + ", left out of the score", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluation.scorer import evaluate, format_report

    if args.facts:
        return cmd_eval_facts(args)
    try:
        report = evaluate(gold_dir=args.gold, predictions=args.predictions, corpus_dir=args.corpus)
    except (OSError, ValueError) as exc:
        print(f"mscmine eval: {exc}", file=sys.stderr)
        return 2
    print(format_report(report))
    if args.report:
        if not args.show_heldout_errors:
            from .evaluation.scorer import hide_errors

            hide_errors(report)
        if str(args.report).lower().endswith((".html", ".htm")):
            from .evaluation.html_report import write_html_report as write_report
        else:
            from .evaluation.scorer import write_markdown_report as write_report

        write_report(report, args.report)
        print(f"\nerror report written to {args.report}")
    if args.min_f1 is not None:
        worst = min((s["f1"] for split in report["splits"].values() for s in split["value"]["per_label"].values() if s["support"]), default=1.0)
        if worst < args.min_f1:
            print(f"mscmine eval: a label's value F1 {worst:.3f} is below --min-f1 {args.min_f1}", file=sys.stderr)
            return 1
    return 0


def cmd_export_annotations(args: argparse.Namespace) -> int:
    """Gold files or fresh predictions → a Label Studio task list (+ config) or a brat folder."""
    from .evaluation import annotation_io as aio
    from .errors import MscmineError

    docs = []
    try:
        if args.gold:
            for raw in args.gold:
                p = Path(raw)
                files = sorted(p.glob("*.json")) if p.is_dir() else [p]
                docs.extend(aio.load_gold_document(f, root=args.root) for f in files)
        else:
            files, missing = _collect_inputs(args.predict)
            if missing:
                for m in missing:
                    print(f"mscmine export-annotations: {m['message']}", file=sys.stderr)
                return 2
            docs.extend(aio.predicted_document(f, split=args.split or "dev") for f in files)
    except (OSError, ValueError, KeyError, MscmineError) as exc:
        print(f"mscmine export-annotations: {exc}", file=sys.stderr)
        return 2
    if not docs:
        print("mscmine export-annotations: no documents", file=sys.stderr)
        return 2
    out = Path(args.output)
    n_ent = sum(len(d["entities"]) for d, _ in docs)
    if args.format == "labelstudio":
        kind = args.kind or ("annotations" if args.gold else "predictions")
        tasks = aio.to_labelstudio(docs, kind=kind, offsets=args.offsets)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        config = out.with_name(out.stem + ".config.xml")
        config.write_text(aio.labelstudio_config(), encoding="utf-8")
        print(f"mscmine: {len(docs)} tasks ({n_ent} entities as {kind}) written to {out}; labelling config in {config}")
    else:
        aio.write_brat(docs, out)
        print(f"mscmine: {len(docs)} documents ({n_ent} entities) written to {out}/ (.txt, .ann, .meta.json, annotation.conf)")
    return 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    """A corrected Label Studio export or brat folder → gold JSON files."""
    from .evaluation import annotation_io as aio

    src = Path(args.input)
    fmt = args.format
    if fmt == "auto":
        fmt = "brat" if src.is_dir() else "labelstudio"
    try:
        if fmt == "brat":
            result = aio.read_brat(src, offsets=args.offsets, split=args.split, allow_missing_values=args.allow_missing_values)
        else:
            tasks = json.loads(src.read_text(encoding="utf-8"))
            result = aio.from_labelstudio(tasks, where=str(src), offsets=args.offsets, use_predictions=args.use_predictions,
                                          split=args.split, allow_missing_values=args.allow_missing_values)
        paths = aio.write_gold(result, args.output, root=None if args.no_source_check else args.root)
    except (OSError, ValueError, aio.AnnotationImportError) as exc:
        print(f"mscmine import-annotations: {exc}", file=sys.stderr)
        return 2
    for w in result.warnings:
        print(f"mscmine: warning: {w}", file=sys.stderr)
    n_ent = sum(len(d["entities"]) for d in result.documents)
    print(f"mscmine: {len(paths)} gold files ({n_ent} entities) written to {args.output}")
    return 0 if paths else 1


EXTRACT_EPILOG = """\
examples:
  mscmine extract corpus -o out/records.csv
  mscmine extract papers/ 'more/**/*.pdf' extra.html -o out/records.parquet --workers 4
  mscmine extract papers/ -o out/records.parquet --resume     # after an interrupted run, or to add new files
  mscmine extract paper.pdf -o - | head

OUT's extension picks the format: .jsonl (nested records, as in the output contract), .csv
(UTF-8 with a BOM, so Excel shows Chinese), .parquet, .xlsx; - writes JSONL to standard output.
Beside OUT:
  OUT.errors.jsonl   one line per input that failed: path, error, message
  OUT.journal.jsonl  every finished input with its records; what --resume reads
OUT is only ever replaced whole (a temporary file, then renamed): an interrupted run leaves
no torn file, and --resume loses at most the files that were being read.

exit status: 0 every input read; 1 some inputs failed (the others' records are written);
2 usage error (unknown output format, no input files); 130 interrupted (rerun with --resume)
"""


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {n}")
    return n


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mscmine",
        description="Study records from Chinese articles on stem-cell therapy for autoimmune diseases.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
               "  mscmine extract corpus -o out/records.csv          # every article under corpus/\n"
               "  mscmine extract papers/ -o out/records.parquet --workers 4 --resume\n"
               "  mscmine summarize out/records.csv\n"
               "  mscmine eval --report out/eval.md\n"
               "\n'mscmine COMMAND --help' shows each command's options and examples.",
    )
    parser.add_argument("--version", action="version", version=f"mscmine {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every file and step")
    parser.add_argument("-q", "--quiet", action="store_true", help="print errors only (no progress, warnings or summary)")
    sub = parser.add_subparsers(dest="command", required=True)

    from .batch import DEFAULT_TIMEOUT, default_workers

    p = sub.add_parser("extract", help="extract study records from files, folders and globs",
                       description="Read articles (.pdf .html .htm .txt .md) and write one record per study they report.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXTRACT_EPILOG)
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders (searched recursively) or globs such as 'papers/**/*.pdf'")
    p.add_argument("-o", "--output", required=True, metavar="OUT",
                   help="output file: .jsonl .csv .parquet .xlsx, or - for JSONL on standard output")
    p.add_argument("-w", "--workers", type=_positive_int, default=None, metavar="N",
                   help=f"processes reading files in parallel (default: one per CPU, {default_workers()} here); 1 reads in this process")
    p.add_argument("--resume", action="store_true",
                   help="keep what OUT already holds (see OUT.journal.jsonl), skip the inputs in it (same content hash) and add the rest")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on a PDF that takes longer to read (default {DEFAULT_TIMEOUT:g}; 0 for no limit)")
    p.add_argument("--max-bytes", type=int, default=200 * 1024 * 1024, metavar="BYTES",
                   help="report files larger than this as errors instead of reading them (default 200 MB)")
    p.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log every file")
    p.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                   help="no progress, warnings or summary line; errors only")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("summarize", help="counts per disease and cell source from an extract output",
                       epilog="example: mscmine summarize out/records.jsonl -o report/")
    p.add_argument("records", help="a .jsonl, .csv, .parquet or .xlsx written by mscmine extract")
    p.add_argument("-o", "--output", default=None, metavar="DIR",
                   help="also write the review tables (CSV, summary.md) and charts (PNG) into this folder")
    p.set_defaults(func=cmd_summarize)

    p = sub.add_parser("show", help="an HTML page of one file: highlighted mentions and linked records",
                       epilog="example: mscmine show corpus/seeds/000_04a0826e1ad117c4.txt -o view.html")
    p.add_argument("file", help="one file (.pdf .html .htm .txt .md)")
    p.add_argument("-o", "--output", required=True, help="the .html page to write, or - for standard output")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("eval", help="precision, recall and F1 against the gold annotations",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n"
                              "  mscmine eval --report out/eval.md\n"
                              "  mscmine eval --facts annotations/real/gold --texts ~/.cache/mscmine-real-pages --misses")
    p.add_argument("--gold", default="annotations/gold", help="folder of gold JSON files (default annotations/gold)")
    p.add_argument("--corpus", default=None, help="folder of the texts (default: the gold files' source paths)")
    p.add_argument("--predictions", default=None, help="a JSONL of mentions/records (default: run the extractor now)")
    p.add_argument("--report", default=None,
                   help="write every error in context: HTML when the name ends in .html/.htm, else Markdown")
    p.add_argument("--min-f1", type=float, default=None, help="exit 1 when any label's value F1 is below this")
    p.add_argument("--show-heldout-errors", action="store_true",
                   help="list the heldout split's errors in --report too (by default only its figures are shown: "
                        "nobody who writes rules should read them)")
    facts = p.add_argument_group("document-level facts (real pages: annotations/real)")
    facts.add_argument("--facts", metavar="GOLD_DIR", default=None,
                       help="score page facts against the gold of GOLD_DIR (one <id>.json per page) instead")
    facts.add_argument("--texts", metavar="TEXT_DIR", default=None,
                       help="with --facts: the folder of the pages' texts (<id>.txt, .html or .pdf)")
    facts.add_argument("--systems", default="mscmine,naive",
                       help="with --facts: systems scored side by side (default mscmine,naive)")
    facts.add_argument("--misses", action="store_true", help="with --facts: each page's missed and extra values")
    facts.add_argument("--show-check-misses", action="store_true",
                       help="with --misses: list the check split's errors too (by default only its figures)")
    facts.add_argument("--json", action="store_true", help="with --facts: the figures and misses as JSON")
    facts.add_argument("--save-baseline", metavar="FILE", default=None,
                       help="with --facts: also write the figures only (no values) to FILE, e.g. annotations/real/baseline.json")
    p.set_defaults(func=cmd_eval)
    p = sub.add_parser("export-annotations", help="gold or predicted entities to Label Studio JSON or brat standoff",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n"
                              "  mscmine export-annotations --gold annotations/gold -f labelstudio -o out/ls/tasks.json\n"
                              "  mscmine export-annotations --predict corpus/seeds -f brat -o out/brat")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--gold", nargs="+", help="gold JSON files or folders")
    src.add_argument("--predict", nargs="+", help="articles or folders to run the extractor on")
    p.add_argument("-f", "--format", choices=("labelstudio", "brat"), required=True)
    p.add_argument("-o", "--output", required=True, help="labelstudio: the tasks .json (config written next to it); brat: a folder")
    p.add_argument("--kind", choices=("predictions", "annotations"), default=None,
                   help="Label Studio block (default: annotations for --gold, predictions for --predict)")
    p.add_argument("--offsets", choices=("codepoint", "utf16"), default="codepoint",
                   help="Label Studio offsets: codepoint (current versions, default) or utf16 (versions before 2022)")
    p.add_argument("--split", default=None, help="split of predicted documents (default dev)")
    p.add_argument("--root", default=".", help="folder the gold files' source paths are relative to (default .)")
    p.set_defaults(func=cmd_export_annotations)

    p = sub.add_parser("import-annotations", help="a corrected Label Studio export or brat folder back to gold JSON",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n"
                              "  mscmine import-annotations project-1-export.json -o annotations/gold\n"
                              "  mscmine import-annotations out/brat -o out/gold")
    p.add_argument("input", help="Label Studio JSON export (a .json task list) or a brat folder")
    p.add_argument("-o", "--output", required=True, help="folder for the gold files (<doc_id>.json)")
    p.add_argument("-f", "--format", choices=("auto", "labelstudio", "brat"), default="auto",
                   help="default: brat for a folder, labelstudio for a file")
    p.add_argument("--offsets", choices=("auto", "codepoint", "utf16"), default="auto",
                   help="how the tool counted offsets (default auto: checked against each span's text)")
    p.add_argument("--split", default=None, help="set the split of every document (default: from the export, else dev)")
    p.add_argument("--use-predictions", action="store_true",
                   help="Label Studio: take the last prediction of a task that has no annotation")
    p.add_argument("--allow-missing-values", action="store_true", help="keep entities without a value (value null)")
    p.add_argument("--root", default=".", help="folder the documents' source paths are relative to (default .)")
    p.add_argument("--no-source-check", action="store_true",
                   help="do not compare the annotated text with the source file")
    p.set_defaults(func=cmd_import_annotations)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    try:
        args = parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("mscmine: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING)
    try:
        return args.func(args)
    finally:
        log.removeHandler(handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
