"""Replace secrets in code and outputs with "[REDACTED:<kind>]" before anything leaves the machine.

Rules run in order, most specific first, so an Anthropic key is reported as `anthropic_key` and
not as the generic `openai_key`. Each rule either replaces its whole match or only one named
group ("secret") so the surrounding code stays readable ("password = '[REDACTED:password]'").

False positives matter as much as misses: the same text feeds a data-science summary, so the
generic rules (assignments, .env lines) demand a secret-sounding NAME and, for the loosest
names, a secret-looking VALUE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Optional

MARKER = "[REDACTED:{kind}]"


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    accept: Optional[Callable[[re.Match[str]], bool]] = None  # extra check on a match
    # lowercase substrings one of which every match contains: skipping rules whose hint is absent
    # keeps redaction of a 500-execution prompt cheap (the loose rules have no literal prefix)
    hints: tuple[str, ...] = ()


def _looks_random(value: str) -> bool:
    """A value that could be a key: long enough, no spaces, mixes letters and digits."""
    if len(value) < 12 or any(c.isspace() for c in value):
        return False
    has_digit = any(c.isdigit() for c in value)
    has_alpha = any(c.isalpha() for c in value)
    return has_digit and has_alpha


def _not_placeholder(match: re.Match[str]) -> bool:
    value = match.group("secret")
    if "[REDACTED:" in value:
        return False
    # tokenizer special tokens ("[PAD]", "<unk>") and format templates are not secrets
    if re.fullmatch(r"\[[A-Za-z_]+\]|<[^<>]*>|\{[^{}]*\}|\$\{?[A-Za-z_]\w*\}?|%\(?\w*\)?s|\*+", value):
        return False
    return True


def _generic_key_value(match: re.Match[str]) -> bool:
    return _not_placeholder(match) and _looks_random(match.group("secret"))


def _unquoted_password(match: re.Match[str]) -> bool:
    value = match.group("secret")
    if not _not_placeholder(match):
        return False
    if "(" in value or "[" in value:
        return False  # a call or subscript: Python code, not a literal secret
    # `connect(password=pw)` passes a variable, not a secret: identifier followed by , or )
    following = match.string[match.end("secret"): match.end("secret") + 1]
    if re.fullmatch(r"[A-Za-z_][\w.]*", value) and following in (",", ")"):
        return False
    return True


_B = r"(?<![A-Za-z0-9_])"  # start boundary that treats "_" as part of a token
_E = r"(?![A-Za-z0-9_])"
_QUOTED = r"(?P<q>[\"'])(?P<secret>[^\"'\n]{1,500})(?P=q)"
SECRET_WORDS = r"password|passwd|passphrase|pwd|secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|client_?secret|private_?key|secret_?key|access_?key|token"

RULES: list[Rule] = [
    Rule("private_key", re.compile(
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
        r"(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:-]*)")),
    Rule("gcp_service_account", re.compile(
        r"[\"']private_key_id[\"']\s*:\s*[\"'](?P<secret>[a-f0-9]{40})[\"']")),
    Rule("aws_session_token", re.compile(
        r"(?i:aws_session_token|aws_security_token|sessiontoken|x-amz-security-token)[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+=]{80,})"), hints=('token',)),
    Rule("aws_session_token", re.compile(r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+=]{60,}"), hints=('iqojb3jpz2lux2vj', 'fwogzxivyxdze')),
    Rule("aws_secret_access_key", re.compile(
        r"(?i:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|aws_secret)[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"), hints=('secret',)),
    Rule("aws_access_key_id", re.compile(_B + r"(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[0-9A-Z]{16}" + _E), hints=('akia', 'asia', 'agpa', 'aida', 'aroa', 'aipa', 'anpa', 'anva', 'abia', 'acca')),
    Rule("github_pat", re.compile(_B + r"github_pat_[A-Za-z0-9_]{22,255}")),
    Rule("github_token", re.compile(_B + r"gh[pousr]_[A-Za-z0-9]{36,255}" + _E)),
    Rule("gitlab_token", re.compile(_B + r"(?:glpat|gldt|glrt|glptt|glsoat|glcbt|gloas)-[A-Za-z0-9_\-]{20,}")),
    Rule("slack_webhook", re.compile(r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{20,}")),
    Rule("slack_token", re.compile(_B + r"xox[abposr]-[A-Za-z0-9\-]{10,}")),
    Rule("stripe_key", re.compile(_B + r"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}" + _E)),
    Rule("stripe_webhook_secret", re.compile(_B + r"whsec_[A-Za-z0-9]{24,}" + _E)),
    Rule("anthropic_key", re.compile(_B + r"sk-ant-[A-Za-z0-9_\-]{20,}")),
    Rule("openai_key", re.compile(_B + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}")),
    # plain "sk-" keys are one unbroken alphanumeric run; scikit-learn's HTML classes
    # ("sk-toggleable__content-fitted") have separators and no digits
    Rule("openai_key", re.compile(_B + r"sk-(?P<secret>[A-Za-z0-9]{32,})" + _E), lambda m: _looks_random(m.group("secret"))),
    Rule("google_api_key", re.compile(_B + r"AIza[0-9A-Za-z_\-]{35}" + r"(?![A-Za-z0-9_\-])")),
    Rule("azure_storage_key", re.compile(
        r"(?i:AccountKey|SharedAccessKey|SharedAccessSignature)=(?P<secret>[A-Za-z0-9+/%=]{20,}?)(?=;|\"|'|\s|$)"), hints=('accountkey', 'sharedaccess')),
    Rule("azure_sas_signature", re.compile(r"[?&]sig=(?P<secret>[A-Za-z0-9%+/=]{30,})"), hints=('sig=',)),
    Rule("jwt", re.compile(_B + r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{10,}")),
    Rule("sendgrid_key", re.compile(_B + r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + r"(?![A-Za-z0-9_\-])")),
    Rule("twilio_key", re.compile(_B + r"SK[0-9a-fA-F]{32}" + _E), hints=('sk',)),
    Rule("twilio_key", re.compile(r"(?i:twilio_?auth_?token|auth_token)[\"']?\s*[:=]\s*[\"']?(?P<secret>[0-9a-f]{32})" + _E), hints=('auth_token', 'authtoken')),
    Rule("npm_token", re.compile(_B + r"npm_[A-Za-z0-9]{36}" + _E), hints=('npm_',)),
    Rule("npm_token", re.compile(r"//[^\s]+/:_authToken=(?P<secret>[^\s\"']+)"), hints=('_authtoken',)),
    Rule("pypi_token", re.compile(_B + r"pypi-AgE[A-Za-z0-9_\-]{50,}")),
    Rule("huggingface_token", re.compile(_B + r"hf_[A-Za-z0-9]{30,}" + _E), hints=('hf_',)),
    Rule("databricks_token", re.compile(_B + r"dapi[a-f0-9]{32}(?:-\d+)?" + _E), hints=('dapi',)),
    Rule("bearer_token", re.compile(r"(?i:bearer)\s+(?P<secret>[A-Za-z0-9\-._~+/]{16,}=*)"), hints=('bearer',)),
    Rule("basic_auth_header", re.compile(r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:basic)\s+(?P<secret>[A-Za-z0-9+/]{8,}=*)"), hints=('authorization',)),
    Rule("connection_string_password", re.compile(
        r"(?i:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|snowflake|clickhouse|cockroachdb|redshift)"
        r"(?:\+[\w]+)?://[^\s:/@\"']*:(?P<secret>[^\s@/\"']+)@"), hints=('://',)),
    Rule("url_basic_auth", re.compile(r"(?i:https?|ftp|sftp|ssh|git)://[^\s:/@\"']+:(?P<secret>[^\s@/\"']+)@"), hints=('://',)),
    # libpq / ODBC / JDBC key=value DSNs: "host=db user=ml password=s3cr3t", "Server=x;Pwd=s3cr3t;"
    Rule("dsn_password", re.compile(
        r"(?i:(?<![\w])(?:password|passwd|pwd))=(?![\"'\[(])(?P<secret>[^\s;'\"&,)]+)"), _unquoted_password, hints=('pass', 'pwd')),
    # password = "...", "api_key": "...", token='...'
    Rule("password", re.compile(r"(?i:" + _B + r"[A-Za-z0-9_]*(?:password|passwd|passphrase|pwd)" + _E + r")[\"']?\s*[:=]\s*" + _QUOTED), _not_placeholder, hints=('pass', 'pwd')),
    Rule("secret", re.compile(r"(?i:" + _B + r"[A-Za-z0-9_]*(?:secret|client_secret|secret_key|private_key)" + _E + r")[\"']?\s*[:=]\s*" + _QUOTED), _not_placeholder, hints=('secret', 'private')),
    Rule("api_key", re.compile(r"(?i:" + _B + r"[A-Za-z0-9_]*(?:api_?key|apikey|access_?key)" + _E + r")[\"']?\s*[:=]\s*" + _QUOTED), _not_placeholder, hints=('key',)),
    Rule("token", re.compile(r"(?i:" + _B + r"(?:[A-Za-z0-9]*_)?(?:access_?token|auth_?token|refresh_?token|api_?token|token)" + _E + r")[\"']?\s*[:=]\s*" + _QUOTED), _generic_key_value, hints=('token',)),
    Rule("secret", re.compile(r"(?:" + _B + r"[A-Z0-9_]*_KEY" + _E + r")\s*[:=]\s*" + _QUOTED), _generic_key_value, hints=('_key',)),
    # .env / shell lines: NAME=value with no spaces around "=" (Python code puts spaces there)
    Rule("env_secret", re.compile(
        r"(?m)^[ \t]*(?:export[ \t]+)?[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|PWD|KEY)[A-Z0-9_]*=(?P<q>[\"']?)(?P<secret>[^\s\"'#]{6,})(?P=q)[ \t]*$"),
        _not_placeholder, hints=('secret', 'token', 'pass', 'pwd', 'key')),
]


def _replace(rule: Rule, text: str) -> tuple[str, int]:
    count = 0
    marker = MARKER.format(kind=rule.kind)

    def substitute(match: re.Match[str]) -> str:
        nonlocal count
        if "[REDACTED:" in match.group(0) and "secret" not in match.re.groupindex:
            return match.group(0)
        if rule.accept is not None and not rule.accept(match):
            return match.group(0)
        if "secret" in match.re.groupindex and match.group("secret") is not None:
            if "[REDACTED:" in match.group("secret"):
                return match.group(0)
            count += 1
            start, end = match.span("secret")
            base = match.start()
            whole = match.group(0)
            return whole[: start - base] + marker + whole[end - base:]
        count += 1
        return marker

    return rule.pattern.sub(substitute, text), count


def redact(text: str) -> tuple[str, int]:
    """Return (text with every recognised secret replaced, number of replacements)."""
    if not text:
        return text, 0
    total = 0
    lowered = text.lower()
    for rule in RULES:
        if rule.hints and not any(h in lowered for h in rule.hints):
            continue
        text, count = _replace(rule, text)
        total += count
    return text, total


def redaction_kinds() -> list[str]:
    return sorted({rule.kind for rule in RULES})
