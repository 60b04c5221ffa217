"""Loading text files: encodings detected from bytes, clear errors for bad input."""

import pytest

import mscmine
from mscmine.errors import BinaryFileError, EmptyFileError, FileMissingError, FileTooLargeError

SENTENCE = "脐带间充质干细胞治疗系统性红斑狼疮,纳入17例患者。"
TRAD = "臍帶間充質幹細胞治療系統性紅斑狼瘡,納入17例患者。"


@pytest.mark.parametrize(
    "data, expected",
    [
        (SENTENCE.encode("utf-8"), SENTENCE),
        (b"\xef\xbb\xbf" + SENTENCE.encode("utf-8"), SENTENCE),
        (SENTENCE.encode("gb18030"), SENTENCE),
        (SENTENCE.encode("gbk"), SENTENCE),
        (TRAD.encode("big5"), TRAD),
        (SENTENCE.encode("utf-16"), SENTENCE),
        ((SENTENCE + "\r\n第二行").encode("utf-8"), SENTENCE + "\n第二行"),
    ],
    ids=["utf8", "utf8-bom", "gb18030", "gbk", "big5", "utf16", "crlf"],
)
def test_encodings(tmp_path, data, expected):
    path = tmp_path / "paper.txt"  # the extension says nothing about the encoding
    path.write_bytes(data)
    doc = mscmine.load(path)
    assert doc.text == expected
    assert doc.id == "paper"


@pytest.mark.parametrize(
    "data, error, message",
    [
        (b"", EmptyFileError, "empty"),
        (b"   \n\n", EmptyFileError, "empty"),
        (b"\x00\x01\x02binary\x00" * 20, BinaryFileError, "binary"),
    ],
)
def test_bad_files(tmp_path, data, error, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(error, match=message) as info:
        mscmine.load(path)
    assert "bad.txt" in str(info.value)


def test_missing_and_too_large(tmp_path):
    with pytest.raises(FileMissingError, match="nope.txt"):
        mscmine.load(tmp_path / "nope.txt")
    path = tmp_path / "big.txt"
    path.write_text(SENTENCE * 100, encoding="utf-8")
    with pytest.raises(FileTooLargeError, match="big.txt"):
        mscmine.load(path, max_bytes=100)


def test_traditional_and_simplified_give_the_same_records():
    simp = mscmine.extract(mscmine.Document.from_text(SENTENCE))
    trad = mscmine.extract(mscmine.Document.from_text(TRAD))
    key = lambda rs: [([d["code"] for d in r["disease"]], [s["code"] for s in r["cell_source"]]) for r in rs]
    # the article's own study (it enrols 17 patients) and the document record (its topic only)
    assert key(simp) == key(trad) == [(["SLE"], ["umbilical_cord"]), ([], [])]
    assert [r["topic"] for r in simp if r["scope"] == "document"] == [
        {"disease": ["SLE"], "cell_type": "MSC", "cell_source": ["umbilical_cord"]}]
    assert [r["n_patients"]["value"] for r in trad if r["scope"] == "study"] == [17]
