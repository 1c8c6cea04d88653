"""An outside verifier for tests: pyHanko's ETSI EN 319 102-1 (AdES LTA) validation set up here,
independently of the app's own ``signing.pades``, with only the agency root as trust anchor,
revocation required for every certificate, no network, and optionally the revocation list a
verifier would download from the CRL address at that moment."""

from __future__ import annotations

import asyncio
from io import BytesIO

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESPassed
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    LocalKnowledge,
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.ltv.types import ValidationTimingInfo
from pyhanko_certvalidator.policy_decl import REQUIRE_REVINFO, CertRevTrustPolicy
from pyhanko_certvalidator.registry import SimpleTrustManager
from pyhanko_certvalidator.revinfo.archival import CRLContainer


def etsi_indication(pdf: bytes, root_pem: bytes, *, at, downloaded_crl: bytes | None = None) -> str:
    """ "TOTAL-PASSED", or the failing sub-indication's name, for the last author signature."""
    _, _, der = pem.unarmor(root_pem)
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[asn1_x509.Certificate.load(der)]),
        revinfo_policy=CertRevTrustPolicy(REQUIRE_REVINFO),
    )
    known = [CRLContainer(asn1_crl.CertificateList.load(downloaded_crl))] if downloaded_crl else []
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            local_knowledge=LocalKnowledge(known_crls=known),
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    reader = PdfFileReader(BytesIO(pdf))
    author = [s for s in reader.embedded_signatures if s.sig_object_type != "/DocTimeStamp"][-1]
    timing = ValidationTimingInfo(validation_time=at, best_signature_time=at, point_in_time_validation=False)
    result = asyncio.run(ades_lta_validation(author, spec, timing_info=timing))
    return "TOTAL-PASSED" if isinstance(result.ades_subindic, AdESPassed) else result.ades_subindic.name
