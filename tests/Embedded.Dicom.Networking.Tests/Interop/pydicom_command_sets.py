"""Independent cross-check of DIMSE command sets with pydicom (Implicit VR Little Endian).

stdin: JSON list of messages, each a list of [keyword, value] pairs (no CommandGroupLength).
stdout: JSON list of objects {"written": hex of the command set pydicom writes, with (0000,0000)
computed from what pydicom wrote, "read": [[keyword, value], ...] as pydicom reads our "ours" hex}.
Each input message may carry "ours": hex of our encoder's output, read back by pydicom.
"""
import json
import sys

from pydicom.dataset import Dataset
from pydicom.filebase import DicomBytesIO
from pydicom.filereader import read_dataset
from pydicom.filewriter import write_dataset


def write(ds):
    fp = DicomBytesIO()
    fp.is_little_endian = True
    fp.is_implicit_VR = True
    write_dataset(fp, ds)
    return fp.getvalue()


def to_json(value):
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if hasattr(value, "__iter__") and not isinstance(value, str):
        return [to_json(v) for v in value]
    if isinstance(value, int):
        return int(value)
    return str(value)


def main():
    out = []
    for message in json.load(sys.stdin):
        ds = Dataset()
        for keyword, value in message["elements"]:
            setattr(ds, keyword, value)
        body = write(ds)
        ds.CommandGroupLength = len(body)
        written = write(ds)
        ours = read_dataset(DicomBytesIO(bytes.fromhex(message["ours"])), True, True)
        read = [[elem.keyword, to_json(elem.value)] for elem in ours]
        out.append({"written": written.hex(), "read": read})
    json.dump(out, sys.stdout)


main()
