"""Inter-rater agreement: pure statistics over numpy arrays, and ``slqual agree`` built on them.

- ``binary_agreement(ratings)``: per-code statistics for 0/1/NaN ratings shaped (units, coders, codes);
- ``nominal`` module: the same statistics for mutually exclusive categories;
- ``masi`` module: Krippendorff's alpha over code sets with the MASI distance;
- ``build_ratings`` / ``compute_agreement`` / ``to_dict``: from coder files to the documented report;
- ``run_agree(AgreeOptions(...))``: what the command does, in one call.
"""

from slqual.agreement.binary import BinaryAgreement, binary_agreement
from slqual.agreement.build import Ratings, build_ratings
from slqual.agreement.compute import AgreementResult, compute_agreement
from slqual.agreement.report import to_dict
from slqual.agreement.run import AgreeOptions, AgreeOutcome, run_agree
from slqual.agreement.undefined import Stat

__all__ = [
    "AgreeOptions",
    "AgreeOutcome",
    "AgreementResult",
    "BinaryAgreement",
    "Ratings",
    "Stat",
    "binary_agreement",
    "build_ratings",
    "compute_agreement",
    "run_agree",
    "to_dict",
]
