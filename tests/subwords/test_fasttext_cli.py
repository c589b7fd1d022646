"""`wordvec train --subwords`: fastText models from the command line."""

from __future__ import annotations

import numpy as np
import pytest

from wordvec import FastText
from wordvec.cli import main
from wordvec.vectors.formats import load

WORDS = "the cat sat on the mat while the dog ran over the hill and cats sit on mats".split()


def _corpus(tmp_path, n=300):
    rng = np.random.default_rng(0)
    path = tmp_path / "c.txt"
    path.write_text("\n".join(" ".join(rng.choice(WORDS, 9)) for _ in range(n)) + "\n")
    return str(path)


def _train(tmp_path, *extra):
    return main(["train", _corpus(tmp_path), "-o", str(tmp_path / "v.vec"), "--dim", "12",
                 "--min-count", "2", "--epochs", "1", "--threads", "1", "-q", *extra])  # fmt: skip


def test_subwords_train_fasttext_with_its_defaults(tmp_path, capsys):
    assert _train(tmp_path, "--subwords", "2-4", "--bucket", "300",
                  "--save-model", str(tmp_path / "m.bin")) == 0  # fmt: skip
    m = FastText.load_fasttext(tmp_path / "m.bin")  # fastText's .bin by the extension
    assert (m.minn, m.maxn, m.bucket) == (2, 4, 300)
    assert m.config.model == "skipgram" and m.config.sample == 1e-4
    kv = load(str(tmp_path / "v.vec"))
    np.testing.assert_allclose(kv["cat"], m.wv["cat"], atol=1e-5)
    assert m.wv["catsz"].any()


def test_native_model_file_for_other_extensions(tmp_path):
    assert _train(tmp_path, "--subwords", "3-6", "--bucket", "100",
                  "--save-model", str(tmp_path / "m.wvm")) == 0  # fmt: skip
    m = FastText.load(tmp_path / "m.wvm")
    assert m.w_in_.shape[0] == len(m.vocab_) + 100


@pytest.mark.parametrize(
    "args,message",
    [
        (["--bucket", "10"], "--subwords"),
        (["--subwords", "3-6", "--spark", "local[1]"], "Spark"),
        (["--subwords", "3-6", "--loss", "softmax"], "softmax"),
        (["--subwords", "3-6", "--loss", "hs+neg"], "hs+neg"),
        (["--subwords", "3-6", "--model", "cbow", "--cbow-sum"], "cbow_mean"),
    ],
)
def test_bad_subword_options_are_one_line(tmp_path, capsys, args, message):
    assert _train(tmp_path, *args) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    # refused before the run starts (its first line names the corpus)
    assert "training on" not in err


def test_a_bad_ngram_range_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        _train(tmp_path, "--subwords", "6-3")
    assert "MINN-MAXN" in capsys.readouterr().err


def test_the_resume_command_keeps_subwords_and_resumes_a_fasttext_run(tmp_path):
    from wordvec.cli import build_parser
    from wordvec.cli.train import _resume_command

    corpus = _corpus(tmp_path)
    args = build_parser().parse_args(["train", corpus, "-o", "v.vec", "--subwords", "2-5"])
    assert "--subwords 2-5" in _resume_command(args, "ck")
    # a finished run's checkpoint: resuming writes the outputs (as for Word2Vec)
    m = FastText(dim=8, min_count=2, epochs=1, threads=1, bucket=50, minn=2, maxn=5).fit(corpus)
    m.save_checkpoint(tmp_path / "ck")
    out = tmp_path / "w.vec"
    assert main(["train", corpus, "-o", str(out), "--resume", str(tmp_path / "ck"),
                 "--subwords", "2-5", "-q"]) == 0  # fmt: skip
    kv = load(str(out))
    np.testing.assert_allclose(kv["cat"], m.wv["cat"], atol=1e-5)
