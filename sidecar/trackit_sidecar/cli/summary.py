"""Summaries: `trackit summarize` (built-in or an LLM provider; --dry-run prints the exact prompt)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from .common import EXIT_FAILED, EXIT_OK, CliError, add_db_option, notebook_arg, open_service, open_service_to_read, out


def register(sub: argparse._SubParsersAction) -> None:
    sp = sub.add_parser("summarize", help="a Markdown summary of the latest session")
    sp.add_argument("notebook")
    add_db_option(sp)
    sp.add_argument("--out", metavar="FILE")
    sp.add_argument("--provider", choices=["builtin", "bedrock", "ollama", "openai"])
    sp.add_argument("--regenerate", action="store_true", help="ignore a stored summary")
    sp.add_argument("--dry-run", action="store_true", help="print the exact prompt that would be sent; send nothing")
    sp.add_argument("-o", "--option", action="append", metavar="KEY=VALUE",
                    help="provider option, repeatable: model, region, profile, endpoint_url (bedrock); host, "
                         "num_ctx (ollama); base_url, api_key_env (openai); timeout, max_tokens, send_raw_outputs")
    sp.set_defaults(fn=cmd_summarize)


def provider_options(pairs: Optional[list[str]]) -> dict:
    """`-o model=llama3.1 -o host=http://gpu-box:11434` -> provider options."""
    options: dict = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--option expects KEY=VALUE, got {pair!r}")
        low = value.strip().lower()
        options[key.strip().replace("-", "_")] = (
            low == "true" if low in ("true", "false") else int(low) if low.isdigit() else value)
    return options


def cmd_summarize(args: argparse.Namespace) -> int:
    from ..summarize.providers.base import ProviderError

    # a dry run writes nothing; a summary on a read-only file is shown, not saved
    service = open_service(args, read_only=True) if args.dry_run else open_service_to_read(args)
    try:
        notebook = notebook_arg(args.notebook)
        if args.dry_run:
            out(service.summaries.preview_prompt(notebook, args.provider, provider_options(args.option)))
            return EXIT_OK
        try:
            result = service.summaries.summarize(notebook, args.provider,
                                                 regenerate=args.regenerate or args.provider is not None,
                                                 options=provider_options(args.option), fall_back=False)
        except (LookupError, ValueError) as bad:  # nothing recorded, or an option that is not valid
            raise CliError(str(bad)) from None
        except ProviderError as failed:  # nothing is written or saved: a script must not mistake a fallback for it
            raise CliError(f"{args.provider or 'the'} summary provider failed: {failed.message} "
                           "(nothing was written; --provider builtin makes the built-in summary)", EXIT_FAILED) from None
    finally:
        service.store.close()
    for warning in result.warnings:
        sys.stderr.write(f"warning: {warning}\n")
    if args.out:
        Path(args.out).write_text(result.markdown, encoding="utf-8")
        out(f"wrote {args.out} ({result.provider}{' ' + result.model if result.model else ''})")
    else:
        out(result.markdown)
    return EXIT_OK
