"""The secrets issue 9 planted that got through (environment variables set from code, credential-like
column names, credentials in URL query strings, a secret split across `+`), the shell and magic lines
it names, and more known key formats. Each must be redacted without touching ordinary code.

Secret-shaped values are generated from a seeded RNG so the repository never holds anything a
secret scanner would flag.
"""

from __future__ import annotations

import random
import string

import pytest

from trackit_sidecar.redaction import redact

rng = random.Random(9)
ALNUM = string.ascii_letters + string.digits
HEX = "0123456789abcdef"


def rand(chars: str, n: int) -> str:
    return "".join(rng.choice(chars) for _ in range(n))


PASSWORD = "Xk" + rand(ALNUM, 10) + "7!"
TOKEN = rand(ALNUM, 32)
GHP = "ghp_" + rand(ALNUM, 36)

# (text with the secret, the secret): each case is one way the issue got a secret through
PLANTED: list[tuple[str, str]] = [
    (f"import os\nos.environ['MY_SERVICE_PASSWORD'] = '{PASSWORD}'", PASSWORD),
    (f'os.environ["MY_SERVICE_PASSWORD"]="{PASSWORD}"', PASSWORD),
    (f"os.environ.setdefault('ANALYTICS_API_TOKEN', '{TOKEN}')", TOKEN),
    (f"os.putenv('DB_PASSWORD', '{PASSWORD}')", PASSWORD),
    (f"os.environ.update(WAREHOUSE_SECRET='{PASSWORD}')", PASSWORD),
    (f"df['passwd_{PASSWORD[:9]}'] = 1", PASSWORD[:9]),
    (f"df = pd.DataFrame({{'user': ['a'], 'passwd_{PASSWORD[:9]}': ['b']}})", PASSWORD[:9]),
    (f"   user  passwd_{PASSWORD[:9]}\n0     a       b", PASSWORD[:9]),  # the printed frame
    (f"pd.read_csv('https://data.example.com/export.csv?api_key={TOKEN}')", TOKEN),
    (f"requests.get(f'https://api.example.com/v1/items?limit=10&token={TOKEN}')", TOKEN),
    (f"url = 'https://store.example.net/f.csv?X-Amz-Credential=AK%2F2026&X-Amz-Signature={rand(HEX, 64)}'", None),
    (f"token = '{GHP[:10]}' + '{GHP[10:]}'", GHP),
    (f"API_KEY = \"sk-\" + \"{TOKEN}{rand(ALNUM, 16)}\"", TOKEN),
    (f"password = 'hunter' + '{PASSWORD}'", PASSWORD),
    (f"%env MY_TOKEN={TOKEN}", TOKEN),
    (f"%set_env DB_PASSWORD {PASSWORD}", PASSWORD),
    (f"!export SERVICE_SECRET={PASSWORD}", PASSWORD),
    (f"!curl -H 'Authorization: Bearer {TOKEN[:12]}' https://api.example.com/v1/models", TOKEN[:12]),
    (f"!curl -H \"X-API-Key: {TOKEN}\" https://api.example.com", TOKEN),
    (f"!curl -u ana:{PASSWORD} https://files.example.com/x.csv", PASSWORD),
    (f"signing_key = '{rand(ALNUM, 24)}9'", None),
    (f"wandb_auth = '{rand(HEX, 40)}'", None),
    (f"ValueError: could not connect: password: {PASSWORD} rejected", PASSWORD),
    (f"ConnectionError: auth failed for token {GHP}", GHP),
    # held-out misses found after the fact: an annotated assignment, an item assignment, a prefixed column
    (f"client_secret: str = '{TOKEN}'", TOKEN),
    (f'config["db_password"] = "{PASSWORD}"', PASSWORD),
    (f"df['api_secret_{PASSWORD[:9]}'] = 1", PASSWORD[:9]),
    (f"!wandb login {rand(HEX, 40)}", None),
    (f"!wandb login --relogin {TOKEN}", TOKEN),
    (f"machine api.example.com login ana password {PASSWORD}\n", PASSWORD),
]
# known key formats added with this change (cloud, VCS, chat, payment, model hubs)
FORMATS: list[str] = [
    "AGE-SECRET-KEY-1" + rand(string.ascii_uppercase + string.digits, 58),
    "GOCSPX-" + rand(ALNUM, 28),
    "ya29." + rand(ALNUM, 60),
    "dop_v1_" + rand(HEX, 64),
    "hvs." + rand(ALNUM, 90),
    "ATBB" + rand(ALNUM, 32),
    "PMAK-" + rand(HEX, 24) + "-" + rand(HEX, 34),
    "https://discord.com/api/webhooks/123456789012345678/" + rand(ALNUM, 68),
    "M" + rand(ALNUM, 25) + "." + rand(ALNUM, 6) + "." + rand(ALNUM, 38),
    rand(string.digits, 10) + ":AA" + rand(ALNUM, 33),
    "key-" + rand(HEX, 32),
    rand(HEX, 32) + "-us14",
    "sq0atp-" + rand(ALNUM, 22),
    "access_token$production$" + rand(string.ascii_lowercase + string.digits, 16) + "$" + rand(HEX, 32),
    "shpat_" + rand(HEX, 32),
    "sk-or-v1-" + rand(HEX, 64),
    "r8_" + rand(ALNUM, 37),
    "gsk_" + rand(ALNUM, 52),
    "pplx-" + rand(ALNUM, 48),
    "lsv2_pt_" + rand(HEX, 32) + "_" + rand(HEX, 10),
    "pcsk_" + rand(ALNUM, 60),
    "ntn_" + rand(ALNUM, 46),
    "lin_api_" + rand(ALNUM, 40),
    "pk_live_" + rand(ALNUM, 24),
]


@pytest.mark.parametrize("text,secret", PLANTED, ids=[f"planted-{i}" for i in range(len(PLANTED))])
def test_planted_secret_is_redacted(text, secret):
    redacted, count = redact(text)
    assert count >= 1, redacted
    if secret is not None:
        assert secret not in redacted, redacted
    assert redact(redacted) == (redacted, 0), "redacting again must change nothing"
    assert redacted.count("\n") == text.count("\n"), "line numbers are kept"


@pytest.mark.parametrize("secret", FORMATS, ids=[f"format-{i}" for i in range(len(FORMATS))])
def test_known_key_format_is_redacted_in_code_and_output(secret):
    for text in (f"client = Client('{secret}')", f"Traceback: bad credentials {secret} (401)\n"):
        redacted, count = redact(text)
        assert secret not in redacted and count >= 1, redacted


def test_secret_split_across_plus_replaces_every_piece_and_keeps_the_code():
    redacted, count = redact(f"g = Github(token='{GHP[:8]}' + '{GHP[8:20]}' + '{GHP[20:]}')\nrepo = g.get_repo('x')")
    assert count == 1
    assert redacted == ("g = Github(token='[REDACTED:github_token]' + '[REDACTED:github_token]' + "
                        "'[REDACTED:github_token]')\nrepo = g.get_repo('x')")


def test_a_private_key_block_keeps_the_line_count():
    body = "\n".join(rand(ALNUM, 64) for _ in range(5))
    text = f"key = '''-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----'''\nprint(1)"
    redacted, _ = redact(text)
    assert body not in redacted and redacted.count("\n") == text.count("\n")
    assert redacted.splitlines()[-1] == "print(1)"


ORDINARY = """
import os
os.environ["TOKENIZERS_PARALLELISM"] = "false"
os.environ["KERAS_BACKEND"] = "jax"
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["CUDA_VISIBLE_DEVICES"] = "0"
%env CUDA_VISIBLE_DEVICES=0
%env TOKENIZERS_PARALLELISM=false
!pip install -q pandas==2.2.2 scikit-learn
!docker run -p 8888:8888 jupyter/scipy-notebook
!curl -s https://example.com/data.csv?format=csv -o data.csv
df["password_hash"] = df["password"].map(hash)
df["token_count"] = df["text"].str.split().str.len()
df = df.rename(columns={"api_key_id": "key_id", "secret_santa": "santa"})
keys = sorted(df["key"].unique())
sort_key = "PassengerId"
design = "factorial"
url = "https://example.com/search?q=titanic&page=2&key=abc"
full = first_name + " " + last_name
label = "train_" + str(i) + ".csv"
tokenizer_name: str = "bert-base-uncased"
token_count: int = 12
cfg["batch_size"] = "64"
df["user_token_count"] = 0
password: str = getpass()
!wandb login
!huggingface-cli login
print("machine learning login page: password reset")
path = 'data/' + 'raw/' + 'train.csv'
print("Password: required")
Epoch 1/3 - token accuracy: 0.91
"""


def test_ordinary_code_is_untouched():
    redacted, count = redact(ORDINARY)
    assert count == 0, [line for line in redacted.splitlines() if "[REDACTED:" in line]


def test_a_long_text_is_redacted_in_chunks_with_the_same_result():
    line = "x = 1  # filler\n"
    secret_line = f"os.environ['MY_SERVICE_PASSWORD'] = '{PASSWORD}'\n"
    text = line * 20_000 + secret_line + line * 20_000
    redacted, count = redact(text)
    assert count == 1 and PASSWORD not in redacted and len(redacted.splitlines()) == 40_001
