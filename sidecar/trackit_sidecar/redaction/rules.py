"""What a secret looks like: the rules, as data. `text.redact` applies them.

Rules run in order, most specific first, so an Anthropic key is reported as `anthropic_key` and
not as the generic `openai_key`. Each rule either replaces its whole match or only one named
group ("secret") so the surrounding code stays readable ("password = '[REDACTED:password]'").

False positives matter as much as misses: the same text feeds lineage and a data-science summary,
so the generic rules (assignments, .env lines, column names) demand a secret-sounding NAME and,
for the loosest names (key, token, auth), a secret-looking VALUE.

Kinds of rule, in order: known key formats (cloud, VCS, chat, payment, model hubs, private keys,
JWTs), credentials in URLs and headers, environment variables set from code or shell, then
assignments to credential-like names and credential-like column names.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

MARKER = "[REDACTED:{kind}]"
MARKER_PREFIX = "[REDACTED:"


@dataclass(frozen=True)
class Rule:
    kind: str
    source: str  # the regular expression, compiled when the rule first runs (`pattern`)
    accept: Optional[Callable[[re.Match[str]], bool]] = None  # extra check on a match
    # lowercase substrings one of which every match contains: skipping rules whose hint is absent
    # keeps redaction of a 500-execution prompt cheap (the loose rules have no literal prefix)
    hints: tuple[str, ...] = ()
    # the pattern can match across lines (a PEM block): run it over the whole text, not line chunks
    multiline: bool = False

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """Compiled when first used: compiling all ~80 rules took ~10 ms of every command's start, which a read of
        the store (`trackit lineage`) spent for nothing; a text runs only the rules its hints call for."""
        return re.compile(self.source)


# ------------------------------------------------------------------ what a secret VALUE looks like
_NOT_SECRETS = frozenset({
    "true", "false", "none", "null", "yes", "no", "on", "off", "auto", "default", "changeme", "required",
    "optional", "enabled", "disabled", "parallel",
})


def looks_random(value: str) -> bool:
    """A value that could be a key: long enough, no spaces, mixes letters and digits."""
    if len(value) < 12 or any(c.isspace() for c in value):
        return False
    return any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def high_entropy(value: str) -> bool:
    """Random-looking AND information-dense: `looks_random` plus >= 3 bits of Shannon entropy a character
    (a UUID has ~3.4, `model_v2_final_2024` ~3.3, `aaaa1111aaaa1111` 1.0)."""
    if not looks_random(value):
        return False
    counts = Counter(value)
    entropy = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return entropy >= 3.0


def plausible_secret(value: str) -> bool:
    """For names that only sometimes hold secrets (TOKEN, KEY, AUTH): at least 8 characters mixing two of
    lower, upper, digit, symbol, or 20+ characters; never a flag word ("false", "parallel")."""
    if value.lower() in _NOT_SECRETS or any(c.isspace() for c in value):
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value),
                   any(c.isdigit() for c in value), any(not c.isalnum() for c in value)))
    return len(value) >= 20 or (len(value) >= 8 and classes >= 2)


def _is_placeholder(value: str) -> bool:
    if MARKER_PREFIX in value:
        return True
    # tokenizer special tokens ("[PAD]", "<unk>"), format templates and masks are not secrets
    return bool(re.fullmatch(r"\[[A-Za-z_]+\]|<[^<>]*>|\{[^{}]*\}|\$\{?[A-Za-z_]\w*\}?|%\(?\w*\)?s|\*+|x+|X+|\.\.\.|…", value))


def _not_placeholder(match: re.Match[str]) -> bool:
    return not _is_placeholder(match.group("secret"))


def _generic_key_value(match: re.Match[str]) -> bool:
    return _not_placeholder(match) and looks_random(match.group("secret"))


def _high_entropy_value(match: re.Match[str]) -> bool:
    return _not_placeholder(match) and high_entropy(match.group("secret"))


def _plausible_value(match: re.Match[str]) -> bool:
    return _not_placeholder(match) and plausible_secret(match.group("secret"))


def _command_line_secret(match: re.Match[str]) -> bool:
    """`-p VALUE`: a plausible secret with a letter, but not `%watermark`'s list of package names
    (`%watermark -p numpy,pandas,sklearn`, common in public notebooks). Only on that magic's line: a password given
    to any other command may hold a comma (`mysql -p Summer,Rain2024`)."""
    value = match.group("secret")
    if not (_plausible_value(match) and any(c.isalpha() for c in value)):
        return False
    line = match.string[match.string.rfind("\n", 0, match.start()) + 1:match.start()]
    return not (line.lstrip().startswith("%watermark")
                and re.fullmatch(r"[A-Za-z_][\w.-]*(?:,[A-Za-z_][\w.-]*)+", value))


def _unquoted_password(match: re.Match[str]) -> bool:
    value = match.group("secret")
    if _is_placeholder(value):
        return False
    if "(" in value or "[" in value:
        return False  # a call or subscript: Python code, not a literal secret
    # `connect(password=pw)` passes a variable, not a secret: identifier followed by , or )
    following = match.string[match.end("secret"): match.end("secret") + 1]
    if re.fullmatch(r"[A-Za-z_][\w.]*", value) and following in (",", ")"):
        return False
    return True


# An environment variable name: every value of the strong ones is a secret; TOKEN/KEY/AUTH names
# (TOKENIZERS_PARALLELISM, KERAS_BACKEND...) only when the value looks like one.
_STRONG_NAME = re.compile(r"(?i)passw(?:or)?d|passphrase|secret|credential|private_?key|api_?key|apikey|access_?key")
_WEAK_NAME = re.compile(r"(?i)token|key|auth|pwd|sig")


def _secret_for_name(match: re.Match[str]) -> bool:
    if not _not_placeholder(match):
        return False
    name = match.group("name")
    if _STRONG_NAME.search(name):
        return True
    return bool(_WEAK_NAME.search(name)) and plausible_secret(match.group("secret"))


def _column_suffix(match: re.Match[str]) -> bool:
    """`passwd_hunter2` (a name glued to a value), not `password_hash` / `token_count` / `api_key_v2_rotation`:
    the suffix is one unbroken run with a digit and a letter, or a symbol."""
    value = match.group("secret")
    if "_" in value or _is_placeholder(value):
        return False
    has_digit, has_alpha = any(c.isdigit() for c in value), any(c.isalpha() for c in value)
    return (has_digit and has_alpha) or any(not c.isalnum() and c not in "-." for c in value)


# ------------------------------------------------------------------ building blocks
_B = r"(?<![A-Za-z0-9_])"  # start boundary that treats "_" as part of a token
_E = r"(?![A-Za-z0-9_])"
_QUOTED = r"(?P<q>[\"'])(?P<secret>[^\"'\n]{1,500})(?P=q)"
_ENV_NAME = r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
# what joins a credential-like name to its value: `name = `, `"name": `, `name: str = ` (an annotation),
# `cfg["name"] = ` (an item)
_ASSIGN = r"(?:[\"']\s*\]?)?\s*(?::\s*[A-Za-z_][\w.\[\], |]{0,60}?\s*=|[:=])\s*"
SECRET_WORDS = r"password|passwd|passphrase|pwd|secret|api_?key|apikey|access_?token|auth_?token|refresh_?token|client_?secret|private_?key|secret_?key|access_?key|token"


def _r(kind: str, pattern: str, accept: Optional[Callable[[re.Match[str]], bool]] = None,
       hints: tuple[str, ...] = (), multiline: bool = False) -> Rule:
    return Rule(kind, pattern, accept, hints, multiline)


RULES: list[Rule] = [
    # ---------------------------------------------------------------- private keys, certificates' keys
    _r("private_key",
       r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"
       r"(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|[A-Za-z0-9+/=\s\\:-]*)",
       hints=("private key",), multiline=True),
    _r("age_secret_key", _B + r"AGE-SECRET-KEY-1[0-9A-Z]{58}", hints=("age-secret-key",)),
    # ---------------------------------------------------------------- cloud
    _r("gcp_service_account", r"[\"']private_key_id[\"']\s*:\s*[\"'](?P<secret>[a-f0-9]{40})[\"']", hints=("private_key_id",)),
    _r("google_oauth_secret", _B + r"GOCSPX-[A-Za-z0-9_\-]{28}", hints=("gocspx-",)),
    _r("google_oauth_token", _B + r"ya29\.[A-Za-z0-9_\-]{20,}", hints=("ya29.",)),
    _r("aws_session_token",
       r"(?i:aws_session_token|aws_security_token|sessiontoken|x-amz-security-token)[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+=%]{80,})",
       hints=("token",)),
    _r("aws_session_token", r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+=]{60,}", hints=("iqojb3jpz2lux2vj", "fwogzxivyxdze")),
    _r("aws_secret_access_key",
       r"(?i:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|aws_secret)[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])",
       hints=("secret",)),
    _r("aws_access_key_id", _B + r"(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[0-9A-Z]{16}" + _E,
       hints=("akia", "asia", "agpa", "aida", "aroa", "aipa", "anpa", "anva", "abia", "acca")),
    _r("azure_storage_key",
       r"(?i:AccountKey|SharedAccessKey|SharedAccessSignature)=(?P<secret>[A-Za-z0-9+/%=]{20,}?)(?=;|\"|'|\s|$)",
       hints=("accountkey", "sharedaccess")),
    _r("azure_sas_signature", r"[?&;]sig=(?P<secret>[A-Za-z0-9%+/=]{30,})", hints=("sig=",)),
    _r("azure_client_secret", _B + r"[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}" + r"(?![A-Za-z0-9_~.\-])", hints=("q~",)),
    _r("digitalocean_token", _B + r"do[opr]_v1_[a-f0-9]{64}" + _E, hints=("_v1_",)),
    _r("databricks_token", _B + r"dapi[a-f0-9]{32}(?:-\d+)?" + _E, hints=("dapi",)),
    _r("vault_token", _B + r"hvs\.[A-Za-z0-9_\-]{24,}", hints=("hvs.",)),
    _r("doppler_token", _B + r"dp\.(?:pt|st|sa|ct|scim|audit)\.[A-Za-z0-9]{40,}", hints=("dp.",)),
    # ---------------------------------------------------------------- version control, CI, registries
    _r("github_pat", _B + r"github_pat_[A-Za-z0-9_]{22,255}", hints=("github_pat_",)),
    _r("github_token", _B + r"gh[pousr]_[A-Za-z0-9]{36,255}" + _E, hints=("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    _r("gitlab_token", _B + r"(?:glpat|gldt|glrt|glptt|glsoat|glcbt|gloas)-[A-Za-z0-9_\-]{20,}", hints=("gl",)),
    _r("bitbucket_token", _B + r"ATBB[A-Za-z0-9_=.\-]{28,}", hints=("atbb",)),
    _r("atlassian_token", _B + r"ATATT3[A-Za-z0-9_\-=]{150,}", hints=("atatt3",)),
    _r("npm_token", _B + r"npm_[A-Za-z0-9]{36}" + _E, hints=("npm_",)),
    _r("npm_token", r"//[^\s]+/:_authToken=(?P<secret>[^\s\"']+)", hints=("_authtoken",)),
    _r("pypi_token", _B + r"pypi-AgE[A-Za-z0-9_\-]{50,}", hints=("pypi-",)),
    _r("postman_key", _B + r"PMAK-[a-f0-9]{24}-[a-f0-9]{34}" + _E, hints=("pmak-",)),
    # ---------------------------------------------------------------- chat and mail
    _r("slack_webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/\-]{20,}", hints=("hooks.slack",)),
    _r("slack_token", _B + r"xox[abposre]-[A-Za-z0-9\-]{10,}", hints=("xox",)),
    _r("discord_webhook", r"https://(?:ptb\.|canary\.)?discord(?:app)?\.com/api/webhooks/\d+/[A-Za-z0-9_\-]{20,}", hints=("discord",)),
    _r("discord_token", _B + r"[MNO][A-Za-z\d_\-]{23,27}\.[A-Za-z\d_\-]{6}\.[A-Za-z\d_\-]{27,40}" + r"(?![A-Za-z0-9_\-])"),
    _r("telegram_token", _B + r"\d{8,10}:AA[A-Za-z0-9_\-]{33}" + r"(?![A-Za-z0-9_\-])", hints=(":aa",)),
    _r("sendgrid_key", _B + r"SG\.[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43}" + r"(?![A-Za-z0-9_\-])", hints=("sg.",)),
    _r("mailgun_key", _B + r"key-[0-9a-z]{32}" + _E, hints=("key-",)),
    _r("mailchimp_key", _B + r"[0-9a-f]{32}-us\d{1,2}" + _E, hints=("-us",)),
    _r("twilio_key", _B + r"SK[0-9a-fA-F]{32}" + _E, hints=("sk",)),
    _r("twilio_key", r"(?i:twilio_?auth_?token|auth_token)[\"']?\s*[:=]\s*[\"']?(?P<secret>[0-9a-f]{32})" + _E,
       hints=("auth_token", "authtoken")),
    # ---------------------------------------------------------------- payment and commerce
    _r("stripe_key", _B + r"(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}" + _E, hints=("_live_", "_test_")),
    _r("stripe_webhook_secret", _B + r"whsec_[A-Za-z0-9]{24,}" + _E, hints=("whsec_",)),
    _r("square_token", _B + r"sq0(?:atp|csp|idp)-[A-Za-z0-9_\-]{22,43}", hints=("sq0",)),
    _r("braintree_token", r"access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}", hints=("access_token$",)),
    _r("shopify_token", _B + r"shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}" + _E, hints=("shp",)),
    # ---------------------------------------------------------------- model hubs and AI APIs
    _r("anthropic_key", _B + r"sk-ant-[A-Za-z0-9_\-]{20,}", hints=("sk-ant-",)),
    _r("openrouter_key", _B + r"sk-or-v1-[a-f0-9]{64}" + _E, hints=("sk-or-",)),
    _r("openai_key", _B + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{20,}", hints=("sk-",)),
    # plain "sk-" keys are one unbroken alphanumeric run; scikit-learn's HTML classes
    # ("sk-toggleable__content-fitted") have separators and no digits
    _r("openai_key", _B + r"sk-(?P<secret>[A-Za-z0-9]{32,})" + _E, lambda m: looks_random(m.group("secret")), hints=("sk-",)),
    _r("google_api_key", _B + r"AIza[0-9A-Za-z_\-]{35}" + r"(?![A-Za-z0-9_\-])", hints=("aiza",)),
    _r("huggingface_token", _B + r"hf_[A-Za-z0-9]{30,}" + _E, hints=("hf_",)),
    _r("replicate_token", _B + r"r8_[A-Za-z0-9]{37}" + _E, hints=("r8_",)),
    _r("groq_key", _B + r"gsk_[A-Za-z0-9]{48,56}" + _E, hints=("gsk_",)),
    _r("perplexity_key", _B + r"pplx-[A-Za-z0-9]{40,56}" + _E, hints=("pplx-",)),
    _r("langsmith_key", _B + r"lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}" + _E, hints=("lsv2_",)),
    _r("pinecone_key", _B + r"pcsk_[A-Za-z0-9_]{50,}", hints=("pcsk_",)),
    _r("notion_token", _B + r"(?:ntn_[A-Za-z0-9]{46}|secret_[A-Za-z0-9]{43})" + _E, hints=("ntn_", "secret_")),
    _r("linear_key", _B + r"lin_api_[A-Za-z0-9]{40}" + _E, hints=("lin_api_",)),
    _r("airtable_token", _B + r"pat[A-Za-z0-9]{14}\.[a-f0-9]{64}" + _E, hints=("pat",)),
    # ---------------------------------------------------------------- tokens in general
    _r("jwt", _B + r"eyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{10,}", hints=("eyj",)),
    # ---------------------------------------------------------------- headers and command lines
    _r("bearer_token", r"(?i:bearer)\s+(?P<secret>[A-Za-z0-9\-._~+/]{16,}=*)", hints=("bearer",)),
    _r("basic_auth_header", r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:basic)\s+(?P<secret>[A-Za-z0-9+/]{8,}=*)",
       hints=("authorization",)),
    _r("authorization_header",
       r"(?i:authorization)[\"']?\s*[:=]\s*[\"']?(?i:bearer|token|basic|digest|apikey)\s+(?P<secret>[^\s\"'\\,;]{4,})",
       _not_placeholder, hints=("authorization",)),
    _r("api_key_header",
       r"(?i:x-(?:api-key|auth-token|access-token|goog-api-key)|api-key|ocp-apim-subscription-key)[\"']?\s*:\s*[\"']?(?P<secret>[^\s\"'\\,;]{8,})",
       _not_placeholder, hints=("api-key", "auth-token", "access-token", "subscription-key")),
    _r("command_line_password",
       r"(?:^|[\s'\"])(?:-u|--user)\s+[\"']?[^\s:\"']+:(?P<secret>[^\s\"']+)", _not_placeholder, hints=("-u", "--user")),
    _r("command_line_password",
       r"(?:^|\s)(?:-p|--password|--token|--api-key|--secret)(?:\s+|=)[\"']?(?P<secret>[^\s\"']{6,})",
       _command_line_secret, hints=("-p", "--password", "--token", "--api-key", "--secret")),
    # `!wandb login <key>`, `!comet login <key>`: a tool's login command given the key itself
    _r("cli_login_key",
       r"(?i:(?:wandb|comet|neptune|clearml|huggingface-cli|hf(?:\s+auth)?)\s+login)(?:\s+--?[\w-]+)*\s+(?P<secret>[A-Za-z0-9_\-]{20,})",
       _generic_key_value, hints=("login",)),
    # a .netrc line: machine HOST login USER password SECRET
    _r("netrc_password", r"(?i:machine\s+\S+\s+login\s+\S+\s+password)\s+(?P<secret>[^\s\"']+)", _plausible_value,
       hints=("machine",)),
    # ---------------------------------------------------------------- credentials in URLs
    _r("connection_string_password",
       r"(?i:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|snowflake|clickhouse|cockroachdb|redshift)"
       r"(?:\+[\w]+)?://[^\s:/@\"']*:(?P<secret>[^\s@/\"']+)@", hints=("://",)),
    _r("url_basic_auth", r"(?i:https?|ftp|sftp|ssh|git|s3|gs|wss?)://[^\s:/@\"']+:(?P<secret>[^\s@/\"']+)@", hints=("://",)),
    # libpq / ODBC / JDBC key=value DSNs: "host=db user=ml password=s3cr3t", "Server=x;Pwd=s3cr3t;"
    _r("dsn_password",
       r"(?i:(?<![\w])(?:password|passwd|pwd))=(?![\"'\[(])(?P<secret>[^\s;'\"&,)]+)", _unquoted_password, hints=("pass", "pwd")),
    # ?api_key=, &token=, ?sig= (short ones too: a query parameter named so is a credential), ?key= when long;
    # also a path segment named so (/token=.../, a partition-style folder)
    _r("url_credential",
       r"(?i:[?&;/\\](?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|id[_-]?token|refresh[_-]?token|token|sig|"
       r"signature|password|passwd|pwd|secret|client[_-]?secret|x-amz-signature|x-amz-credential|x-amz-security-token|"
       r"x-goog-signature|x-goog-credential|auth))=(?P<secret>[^&\s\"'#<>;/\\]{4,})",
       _not_placeholder, hints=("=",)),
    _r("url_credential", r"(?i:[?&;]key)=(?P<secret>[^&\s\"'#<>;]{16,})", _generic_key_value, hints=("key=",)),
    # ---------------------------------------------------------------- environment variables
    # os.environ["DB_PASSWORD"] = "..."
    _r("env_secret",
       r"environ\s*\[\s*(?P<nq>[\"'])" + _ENV_NAME + r"(?P=nq)\s*\]\s*=\s*" + _QUOTED, _secret_for_name, hints=("environ",)),
    # os.environ.setdefault("API_TOKEN", "..."), os.putenv("DB_PASSWORD", "...")
    _r("env_secret",
       r"(?:setdefault|putenv)\s*\(\s*(?P<nq>[\"'])" + _ENV_NAME + r"(?P=nq)\s*,\s*" + _QUOTED, _secret_for_name,
       hints=("setdefault", "putenv")),
    # os.environ.update(DB_PASSWORD="..."), dict(API_TOKEN="...")
    _r("env_secret", r"(?:update|dict)\s*\([^)\n]*?" + _B + _ENV_NAME + r"\s*=\s*" + _QUOTED, _secret_for_name,
       hints=("update", "dict")),
    # %env DB_PASSWORD=..., %set_env API_TOKEN ...
    _r("env_secret",
       r"(?m)^[ \t]*%(?:set_)?env[ \t]+" + _ENV_NAME + r"(?:[ \t]*=[ \t]*|[ \t]+)[\"']?(?P<secret>[^\s\"']+)", _secret_for_name,
       hints=("%env", "%set_env")),
    # .env / shell lines, also `!export ...` in a cell: NAME=value with no spaces around "="
    _r("env_secret",
       r"(?m)^[ \t]*!?[ \t]*(?:export[ \t]+)?(?P<name>[A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|PASSWD|PWD|KEY|CREDENTIALS?|AUTH)[A-Z0-9_]*)="
       r"(?P<q>[\"']?)(?P<secret>[^\s\"'#]{6,})(?P=q)(?=[ \t]|$)", _secret_for_name,
       hints=("secret", "token", "pass", "pwd", "key", "credential", "auth")),
    # ---------------------------------------------------------------- assignments to credential-like names
    # password = "...", "api_key": "...", token='...'
    _r("password", r"(?i:" + _B + r"[A-Za-z0-9_]*(?:password|passwd|passphrase|pwd)" + _E + r")" + _ASSIGN + _QUOTED,
       _not_placeholder, hints=("pass", "pwd")),
    _r("secret", r"(?i:" + _B + r"[A-Za-z0-9_]*(?:secret|client_secret|secret_key|private_key|credentials?)" + _E + r")" + _ASSIGN + _QUOTED,
       _not_placeholder, hints=("secret", "private", "credential")),
    _r("api_key", r"(?i:" + _B + r"[A-Za-z0-9_]*(?:api_?key|apikey|access_?key)" + _E + r")" + _ASSIGN + _QUOTED,
       _not_placeholder, hints=("key",)),
    _r("token", r"(?i:" + _B + r"(?:[A-Za-z0-9]*_)?(?:access_?token|auth_?token|refresh_?token|api_?token|token)" + _E + r")" + _ASSIGN + _QUOTED,
       _generic_key_value, hints=("token",)),
    _r("secret", r"(?:" + _B + r"[A-Z0-9_]*_KEY" + _E + r")\s*[:=]\s*" + _QUOTED, _generic_key_value, hints=("_key",)),
    # any other credential-like name (db_auth, signing_key, wandb_key...) given a high-entropy literal
    _r("secret",
       r"(?i:" + _B + r"[A-Za-z0-9_]*(?:key|token|auth|cred|secret|pass|pwd|sig)[A-Za-z0-9_]*" + _E + r")" + _ASSIGN + _QUOTED,
       _high_entropy_value, hints=("key", "token", "auth", "cred", "secret", "pass", "pwd", "sig")),
    # "Password: hunter2" in output or a log line (the password word, a colon, a value)
    _r("password", r"(?i:" + _B + r"(?:password|passwd|passphrase)" + _E + r")[ \t]*:[ \t]+(?P<secret>[^\s\"',;]{6,})",
       lambda m: _unquoted_password(m) and m.group("secret").lower() not in _NOT_SECRETS, hints=("pass",)),
    # ---------------------------------------------------------------- credential-like column names / literals
    # df["passwd_hunter2"], df["api_secret_Zq81x"], a printed header "api_key-9f8a7b6c": a credential word
    # (after any prefix) glued to its value
    _r("credential_name",
       r"(?i:" + _B + r"(?:[A-Za-z0-9]+_)*(?:password|passwd|passphrase|pwd|secret|token|api_?key|apikey|access_?key|auth_?token))[_\-](?P<secret>[^\s\"'\[\](){}<>,;:=|]{6,64})" + r"(?![^\s\"'\[\](){}<>,;:=|])",
       _column_suffix, hints=("pass", "pwd", "secret", "token", "key")),
]


def redaction_kinds() -> list[str]:
    return sorted({rule.kind for rule in RULES})
