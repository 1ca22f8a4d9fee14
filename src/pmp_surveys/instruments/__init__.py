"""Survey instruments as strict data: the file format, loading, coding and answer validation.

Pure Python: no database, no web framework. See `surveys/README.md` for the file format.
"""

from .coding import DONT_KNOW_CODE, Layout, build_layout
from .definition import LANGUAGES, Instrument, Lang
from .errors import DefinitionProblem, InstrumentDefinitionError, InstrumentError
from .loader import LoadedInstrument, load_instrument_dir, load_instrument_file
from .localize import localize
from .validation import AnswersInvalid, AnswerValidator, CodedAnswers, FieldError

languages = LANGUAGES

__all__ = [
    "DONT_KNOW_CODE",
    "LANGUAGES",
    "AnswerValidator",
    "AnswersInvalid",
    "CodedAnswers",
    "DefinitionProblem",
    "FieldError",
    "Instrument",
    "InstrumentDefinitionError",
    "InstrumentError",
    "Lang",
    "Layout",
    "LoadedInstrument",
    "build_layout",
    "languages",
    "load_instrument_dir",
    "load_instrument_file",
    "localize",
]
