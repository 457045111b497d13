"""Question understanding: a question as staff type it (and the conversation before it) -> a typed Query.

What is asked (the attribute) comes from billing vocabulary: "modifier", "ICD-10", "covered", "effective
date". What it is about (the subject) is the codes, payers and procedure words left once the attribute words,
the conversational filler ("hi, quick question") and the patient's details ("74 yo, 1.2 cm") are set aside;
the patient's details are kept as context to check against criteria, never searched. A code that is not in
the documents but one keystroke from one that is ("0518T") is read as that one, and the answer says so. A
follow-up ("and 0686T?", "is it covered?", "what about Aetna?") takes what it leaves out from the turn before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence, Set
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Protocol

from . import codes as code_rules
from .measures import stated_measures, told_so_far
from .payers import COMMERCIAL, asked_payers, family, mentions, payers_named, programs
from .text import words
from .types import NOT_SAID, QUOTES_HEADING, Patient, Query

# A change in a policy's record of revisions, asked by when it happened: "when did they add the laser code",
# "when was 0581T removed".
HISTORY = re.compile(
    # Of the policy, not of the patient ("when did the pt change plans"), within one sentence.
    r"\bwhen (?:was|were|did|has|have)\b"
    r"(?!\s+(?:the\s+|my\s+|our\s+|a\s+|her\s+|his\s+|their\s+)?(?:pt|patient|member|beneficiary|she|he|"
    r"symptoms?|pain|tumou?r|cancer)\b)"
    r"[^?.]*\b(?:add(?:ed)?|remov(?:e|ed)|drop(?:ped)?|delet(?:e|ed)|"
    r"chang(?:e|ed)|introduc(?:e|ed)|stop(?:ped)?|start(?:ed)?|beg[ai]n|ceas(?:e|ed))\b|"
    # What a change was: "what changed in the last update", "what changes were made".
    r"\bwhat (?:changed|was changed|changes (?:were|have been) made|(?:was|were) the changes?)\b",
    re.I,
)

# What the FDA does with a device: approve, clear, authorize it.
FDA_ACTIONS = re.compile(r"\b(?:approv|clear|authori[sz])\w*", re.I)
# The FDA's approval of a device ("the cryo device is FDA approved for older women"), not a payer's.
FDA_APPROVAL = re.compile(
    r"\bfda(?:[\s-]+(?:status|clearance))?[\s-]+approv\w*|\bapprov\w*\s+by\s+(?:the\s+)?fda\b", re.I
)
# What asks the FDA's record of a device (the "fda" attribute's cue without a bare "device").
_FDA_NAMED = re.compile(
    FDA_APPROVAL.pattern
    + r"|\bfda (?:status|approval|clearance)\b|\bfda\b|\bde novo\b|\b510\s?\(?k\)?|\bclear(?:ed|ance)\b|"
    r"\bapproved device\b|"
    # Who makes a device is on its FDA record ("Manufacturer: IceCure Medical").
    r"\bwho makes\b|\bmade by\b|\bmaker\b|\bmanufactur\w*",
    re.I,
)

# A group's average asked for ("the avg age of the 20 women", "mean follow up"): a study's statistic.
AVERAGE_ASKED = re.compile(r"\b(?:avg|average|mean|median)\s+(age|follow[- ]?up|tumou?r size|size|duration)\b", re.I)

# The attributes a question can ask for, in the order they are tried: a more specific one first ("how much
# does Cigna pay" is a payment question before it is a coverage one). Each: (name, cue, words for the user).
# The papers a clerk puts together ("the pre-auth packet", "the auth folder"): what the answer is for, not what is
# asked.
_NOT_PAPERS = r"(?!\s+(?:packets?|binders?|checklists?|folders?|files?)\b)"
ATTRIBUTES: list[tuple[str, re.Pattern[str], str]] = [
    (
        # "why?" after a decision, "why isn't it covered", "why is it investigational": the reason the document
        # gives for its decision ("the evidence is insufficient ..."), not the decision again.
        "rationale",
        re.compile(
            r"^\W*(?:(?:and|but|ok|okay|so|hm+)\W+)?why\b(?=\W*$|[^?]*\b(?:cover\w*|pay\w*|paid|den\w+|not|"
            r"investigational|experimental|unproven|necessary)\b)|\bwhat(?:'s| is) the (?:reason|rationale)\b|"
            r"\breason (?:for|why)\b",
            re.I,
        ),
        "the reason for the decision",
    ),
    (
        "payment",
        re.compile(
            r"\bhow much\b(?=[^?]*\b(?:pay|paid|cost|charge|reimburs|allow|owe|get)\w*)|"
            # (not a surname joined to another: "the Halvorsen-Price trial")
            r"\bpayment (?:amount|rate)s?\b|\bpay(?:ment)? rates?\b|(?<!-)\bprices?\b(?!-)|\bcosts?\b|"
            r"\b(?:a|typical|average|usual|hospital|total|billed)\s+charges?\b|"
            r"\bfees?\b|\ballowables?\b|\ballowed (?:amount|amt)s?\b|\breimbursement (?:rate|amount)s?\b|"
            r"\brvus?\b|\brelative value|\bdollars?\b|\$\s?\d|\bco-?pa(?:y|ys|yment)\b|\bcoinsurance\b|"
            r"\bdeductible\b|\bout[- ]of[- ]pocket\b|\bglobal period\b|\bfee schedule\b|"
            # Medicare's payment systems and their groups: what a service is paid under
            r"\bapcs?\b|\bopps\b|\bdrgs?\b|\bms-drg\b|"
            # (payers' names, read in full, may be long and typed with a slash or an ampersand: "what does ri
            # medicaid / neighborhood pay")
            r"\bwhat (?:(?:%|percent(?:age)?)\s*)?(?:does|do|will|would) [\w'/& ]{1,60}?\b(?:pay|reimburse|allow)\b"
            r"(?! for (?:it|this|that)\b)|"
            # "whats caresource paying for 64566 per session": what, not whether, it pays
            r"\bwhat(?:'s|s| is| are)? [\w' ]{1,30}\b(?:paying|reimbursing|allowing)\b(?! for (?:it|this|that)\b)|"
            # "whats avera's reimbursement for 33259": its amount (whether it reimburses is asked with a verb)
            r"\bwhat(?:'s|s| is| are)? [\w' ]{0,30}\breimbursement\b(?! (?:policy|polic(?:ies|y)|guidelines?)\b)",
            re.I,
        ),
        "a payment amount",
    ),
    (
        "contact",
        re.compile(
            r"\b(?:phone|telephone|fax|e-?mail|mailing address|street address|contact (?:info\w*|"
            r"number|details)|call (?:them|to)|who do i call|npi|tax id|tin)\b",
            re.I,
        ),
        "contact details",
    ),
    (
        # What happens after a decision: appeals, reconsideration, filing limits and how long a review takes.
        # A coverage policy seldom says; asked, the question is answered only by a sentence that does.
        "appeal",
        re.compile(
            # An appeal is asked about ("how long do we have to appeal", "appeal?", "is 0581T appealable"), except
            # where it names what the clerk is working on: the document it modifies ("appeal letter", "appeal
            # binder", "appeal reviewer wants the cite") or the purpose ("for the appeal"): why they ask, not what.
            # Its time or its making asked ("the timeframe to send an appeal letter") asks it whatever follows.
            r"\b(?:days?|weeks?|time\w*|deadline|window|limit)\b[^.?]{0,30}\bappeal|"
            r"\b(?:file|submit|send|request|start)\s+(?:an?\s+|the\s+)?appeal|"
            r"(?<!\bfor the )(?<!\bfor an )(?<!\bfor my )(?<!\bfor our )(?<!\bfor a )(?<!\bfor this )"
            r"(?<!\bfor a denial )(?<!\bfor the denial )\bappeal\w*\b"
            r"(?!\s+(?:letters?|binders?|packets?|packages?|reviewers?|files?|folders?|index|q|questions?|drafts?|"
            r"checklists?)\b)|"
            r"\bredetermination\b|\breconsideration\b|\bturn-?around\b|\btimely filing\b|"
            r"\bfiling (?:limit|deadline)s?\b|\bpeer[- ]to[- ]peer\b|"
            r"\bhow (?:many days|long) (?:does|do|will|would|did) [\w' ]{1,30}?\btake to (?:decide|review|respond|"
            r"process|approve)\b|\bdecision (?:time(?:frame|line)?|deadline)s?\b",
            re.I,
        ),
        "appeal or review deadlines",
    ),
    # Whether a detail of the case will do for the authorization ("is that block still good for the auth or does
    # it have to be more recent"): what the payer requires of it, not how to request one.
    (
        "criteria",
        re.compile(
            r"\b(?:good|ok|okay|enough|fine|valid|too old|recent enough|old enough|long enough)\b[^?.]{0,12}?"
            r"\bfor (?:the |an? |getting (?:the |an? )?)?(?:auth|prior auth\w*|approval|(?-i:PA))\b",
            re.I,
        ),
        "coverage criteria",
    ),
    (
        "prior-auth",
        re.compile(
            # ("auth" is the clerk's word for an authorization)
            rf"(?:\bprior auth\w*\b|\bpre-?auth\w*\b|\bauths?\b){_NOT_PAPERS}|"
            r"\bprecert\w*|\bauthorization form|\bpa form|\bprior approval\b|"
            # The other names payers give the same review before the service
            r"\bpre-?service (?:review|auth\w*|approval)\b|\bpre-?determination\b|\bpre-?notification\b|"
            # "PA" is one only in capitals and where a request is made of it ("need a PA", "PA required"): else it
            # is Pennsylvania or a physician assistant.
            r"(?:\b(?:need|needs|require[sd]?|get|submit|request|send)\s+(?:a\s+|the\s+)?(?-i:PA)\b)|"
            # "what does <payer> need for PA on ...", not "... for PA medicaid members" (Pennsylvania's)
            r"(?:\bneeds?\b[^.?]{0,30}?\bfor\s+(?:a\s+|the\s+)?(?-i:PA)\b"
            r"(?!\s+(?:medicaid|medicare|members?|residents?|state|plans?|chip|providers?)\b))|"
            # (and the nouns of that process: "PA check", "PA status", "PA rules")
            r"(?-i:\bPA\b)(?=\s+(?:request|required|needed|form|submission|for|check|status|requirements?|rules|"
            r"process)\b)"
            # "PA needed?", "is prior auth required": the asking words of it, not what it is asked of (a policy
            # says "required" where the clerk typed "needed")
            r"(?:\s+(?:is\s+)?(?:required|needed|necessary)\b)?",
            re.I,
        ),
        "prior authorization requirements",
    ),
    ("modifier", re.compile(r"\bmodifiers?\b|\bmods?\b|\bmodifer\w*|\bmodifeir\w*", re.I), "a modifier"),
    (
        "icd10",
        re.compile(
            # "an ICD", "her ICD": a patient's defibrillator, not a diagnosis code
            r"\bicd-?10(?:-?cm)?(?: codes?)?\b|\bicd codes?\b|"
            r"(?<!\ban )(?<!\ba )(?<!\bhis )(?<!\bher )(?<!\btheir )\bicd\b|"
            # "dx block", "dx injection": a diagnostic procedure, not a diagnosis code
            r"\bdiagnos[ie]s codes?\b|\bdiagnosis code\b|\bdx codes?\b|"
            r"\bdx\b(?!\s+(?:nerve\s+)?(?:blocks?|injections?|tests?|imaging|procedures?|workup|studies|study)\b)",
            re.I,
        ),
        "ICD-10 diagnosis codes",
    ),
    (
        "taxonomy",
        re.compile(r"\btaxonom\w*|\bspecialt(?:y|ies)\b|\bprovider types?\b", re.I),
        "provider taxonomy codes",
    ),
    (
        "related-codes",
        re.compile(
            r"\brelated (?:cpt |procedure )?codes?\b|\brelated (?:cpt|hcpcs)s?\b|"
            r"\bbilled (?:with|alongside|together)\b|"
            r"\badd-?on codes?\b|\bother codes\b|\bcodes? (?:to )?bill "
            r"with\b|\balongside\b|\bseparate (?:cpt |procedure |billing )?codes?\b|"
            # Billed on top of the procedure, or part of it: "bill 76940 seperate", "do I bill that on top?",
            # "can i also add 43259", "or is it bundled".
            # (the verb alone is the cue: the words between it and "separately" or "on top" name what is billed)
            r"\b(?:bill|billed|code|coded|report|reported)\b(?=[^?.;]{0,30}?\bsep[ae]rate(?:ly)?\b)|"
            r"\bsep[ae]rately\b|\bsep[ae]rate(?=\s*(?:[?.,;]|$))|"
            r"\b(?:bill|add|report|code|charge)\w*\b(?=[^?.;]{0,40}?\b(?:on top|in addition to)\b)|"
            r"\bbundled?\b|\bunbundl\w*|"
            r"\balso (?:add|bill|code|report)\b|"
            r"\b(?:bill|code|report|charge)\w*\s+(?:for\s+)?(?:that|it|this|them|those)\s+(?:too|as\s+well|also)\b|"
            # "can that go on the claim too": on the claim beside the procedure
            r"\b(?:go|goes|put|add(?:ed)?)\s+on\s+the\s+(?:claim|bill|ub-?04|1500)\s+(?:too|as\s+well|also)\b|"
            # Codes that go on the claim together ("can both guidance codes go on"); one code that "goes on the
            # ub04" is the procedure's own.
            r"\b(?:both|these|those|two|the)\s+(?:\w+\s+)?codes\s+"
            r"(?:go|be (?:billed|reported|added))\s+(?:on|together)\b",
            re.I,
        ),
        "related codes",
    ),
    (
        "policy-number",
        re.compile(
            r"\b(?:policy|guideline|document|bulletin|cpb|lcd|ncd|article|mp|medical policy|coverage policy|"
            r"clinical policy)\s*(?:number|num|no\.?|#|id)(?!\w)|\bnumber of (?:the|this|that) (?:policy|guideline|"
            r"bulletin|lcd)\b|\bwhat(?:'s| is) the (?:policy|cpb|lcd|ncd)\b",
            re.I,
        ),
        "a policy number",
    ),
    (
        "date",
        re.compile(
            r"\beffective\b|\beff\.? date\b|\b(?:last|next|annual) (?:annual )?review\b|\breview date\b|"
            r"\brevision date\b|\bversion date\b|\bimplementation date\b|"
            # (what is asked between "when was" and its verb is the subject: "when was the X policy last reviewed")
            r"\bwhen (?:was|is|will|did|does)\b"
            r"(?=[^?]*\b(?:review(?:ed)?|revised?|updated?|published|issued|effective|released|c[oa]me out)\b)|"
            # A rule's start is asked of what is to come ("when does that start"); what started ("when did her
            # symptoms start") and a study's "start enrolling" are no date of a policy's.
            r"\bwhen (?:does|do|will|is)\b"
            r"(?!\s+(?:the\s+|my\s+|our\s+|a\s+|her\s+|his\s+|their\s+)?(?:pt|patient|member|she|he|they|we|i)\b)"
            r"(?=[^?]*\b(?:start|begin)s?\b(?!\s+\w+ing\b))|"
            r"\b(?:last |first )?(?:reviewed|revised|updated)\b(?=\W*(?:$|\?|and\b|or\b|,))|" + HISTORY.pattern + "|"
            # ("which policy was reviewed more recently": when each was)
            r"\b(?:reviewed|revised|updated)\s+(?:more\s+|most\s+)?recently\b|"
            r"\bpublish(?:ed)? date\b|\bissued\b|\bamended\b|\bamendment date\b|\bwhen was (?=[^?]*\bpublished\b)|"
            r"\bexpir\w*|\bwhat date\b|\btakes? effect\b|\bin effect\b|"
            r"\bgo(?:es)? into effect\b|\bapprov(?:ed|al) date\b|\bwhen (?:was|were)\b(?=[^?]*\bapproved\b)|"
            r"\bkick(?:s|ed)? in\b|"
            r"\boriginal(?:ly)? (?:effective|date)\b|\bwhen (?:was|is|did|does) (?:the |this |that |their )?"
            r"(?:policy|guideline|lcd|ncd|bulletin)\b",
            re.I,
        ),
        "the policy's dates",
    ),
    (
        "codes",
        re.compile(
            # "what is CPT code 0686T" names its code: it asks what that code is, not which codes apply.
            r"\b(?:which|what|list|any|all)\b[^?]*\b(?:cpt|hcpcs|procedure|billing)\s*codes?\b(?!\s*[0-9A-Z]\d{3})|"
            r"\b(?:which|what) codes\b|\bwhat code (?:for|do|does|should|would|is)\b|"
            # "what do i bill": which code the case is billed with
            r"\bwhat (?:do|should|would|can|could) (?:i|we|they|you) (?:bill|code|report)\b"
            r"(?!\s+(?:with|on top|in addition))|"
            r"\b(?:which|what) (?:cpts?|hcpcs)\b(?!\s*(?:code\s*)?[0-9A-Z]\d{3})|"
            r"\bwhich code (?:for|do|does|should|would|is)\b|"
            r"\b(?:cpt|hcpcs|procedure|billing) codes? (?:for|to bill)\b|\b(?:cpt|hcpcs)s? for\b|"
            # "code for lasering a breast cancer": which code names a procedure (not "the code for 0581T")
            r"(?:^\W*|\b(?:the|a|any|what's the|whats the|what is the) )codes? for\b(?!\s*[0-9A-Z]\d{3})|"
            # A request that ends on "code" ("wellmark fibroadenoma cryo code"), unless a code is what it names
            # ("0581T code?", "47371 cpt code": what that code is). "... under moderate sedation. cpt pls" too.
            r"(?<![0-9a-z]\d{3}[0-9a-z] )(?<![0-9a-z]\d{3}[0-9a-z] cpt )\b(?:codes?|cpts?|hcpcs)"
            r"(?=(?:\s+(?:pls|plz|please|thx|thanks|ty))?\s*[?,.!]?\s*$)|"
            # ... or that lists it beside another thing asked ("CPT and dx?", "cpt code + modifier")
            r"(?<![0-9a-z]\d{3}[0-9a-z] )\b(?:cpts?|hcpcs)(?:\s+codes?)?(?=\s*(?:,|&|\+|/|\band\b)\s*(?:the\s+)?"
            r"(?:dx|icd|diag\w*|mods?\b|modifiers?\b|units?\b))|"
            r"\bcodes? (?:does|do) (?:the |this |that )?(?:policy|guideline|lcd|ncd|article|bulletin)\b",
            re.I,
        ),
        "the codes a policy lists",
    ),
    # "device" alone names the thing, not what is asked of it ("does the device go inside the tumor?"): _read
    # drops the attribute when nothing else asks it; the word stays in the cue so that, asked, it names no topic.
    ("fda", re.compile(_FDA_NAMED.pattern + r"|\bdevices?\b", re.I), "FDA status"),
    # Clinicians name the kinds of anesthesia without the word ("done under general or just local?", "is the pt
    # put under?"); "general supervision" is a level of supervision, not an anesthetic.
    (
        "anesthesia",
        re.compile(
            r"\banesthe\w*|\banaesthe\w*|\bsedation\b|\bsedated\b|"
            # ... where the phrase ends ("under general?", "under local or ..."), not "under local coverage
            # determination", "under general medicare rules" or "put under review"
            r"\bunder\s+(?:general|local)\b(?=\s*(?:[?,.;]|$|or\b|and\b))|"
            r"\b(?:general|local)\s+or\s+(?:just\s+|only\s+|a\s+)?(?:local|general)\b(?!\s+(?:coverage|lcd|rules?)\b)|"
            r"\bput\s+under\b(?=\s*(?:[?,.;]|$|for\b))|"
            # "do they put the pt fully under", "is she awake for it", "knocked out" (in the sentence that asks,
            # with its question mark or without: "does the summary say if they're asleep for it")
            r"\b(?:fully|all the way|completely)\s+under\b|\b(?:awake|asleep|knocked out)\b(?=[^.?]*(?:\?|$))",
            re.I,
        ),
        "anesthesia",
    ),
    # Units named outright ("can i bill 31651 x2 units?") are what is asked, before the "can i bill" that would
    # read as a coverage question; the other cues of units (below) are weaker than a payer's decision.
    ("units", re.compile(r"\bunits?\b", re.I), "units and frequency"),
    (
        "criteria",
        re.compile(
            r"\bcriteria\b|\bcriterion\b|\brequirements?\b|\brequired\b|\bqualif\w*|\bindications?\b|"
            r"\beligib\w*|\bwhat does (?:the )?(?:patient|pt|member) need\b|\bmeet\b|\bmeets\b|"
            # What a payer needs before it approves asks for its criteria ("what does cigna need from the doc to
            # approve X"), not only for its decision.
            r"\bwhat (?:does|do|would|will)\b[^?.]{1,40}?\b(?:need|want|require)s?\b[^?.]{0,40}?"
            r"\bto (?:approve|cover|authori[sz]e|pay for|ok)\b|"
            r"\bsize limit\b|\bage limit\b|\bhow (?:big|large|old)\b|\blimits?\b|\bmax(?:imum)?\b|"
            r"\bmin(?:imum)?\b|\bat least\b",
            re.I,
        ),
        "coverage criteria",
    ),
    (
        "coverage",
        re.compile(
            # "covers" after "code" names what a code describes ("which code covers guidance"), not a decision
            # ("can it cover several tumors": what a code takes in, not a decision)
            r"(?<!code )(?<!codes )(?<!code that )\bcover(?:s|ed|age|ing)?\b"
            r"(?!\s+(?:several|multiple|one or more)\b)|\bcovr\w*|\bpay(?:s|ing)?\b|"
            r"\bpaid\b|\breimburs\w*|\bmedically necessary\b|\bmedical necessity\b|"
            r"\bmed(?:ically|\.)? nec(?:essary|essity|\.)?(?!\w)|\bapprov\w*|\bden(?:y|ies|ied|ial)\b|"
            r"\ballow(?:ed|s)?\b|\binvestigational\b|\bexperimental\b|\bunproven\b|\bposition\b|\bstance\b|"
            # "what's cigna's take on RFA", "cigna 0540's take on it": its stance (not "does 0581T take on average")
            r"(?:['’]s|\btheir|\bits|\bpolic(?:y|ies)|\b\d{3,4})\s+take on\b|"
            r"\bpolicy on\b|\bok(?:ay)? to bill\b|\b(?:can|could|may) (?:i|we) bill\b|\bbillable\b|\bbenefit\b|"
            r"\b(?:can|could|may) [\w' ]{1,30}\b(?:get|have|receive|undergo)\b|\bsays? about\b|"
            # "is bcn ok w that?", "cigna pt - is microwave ablation ok or no": ok ending the question or as its choice
            r"\b(?:ok|okay|fine)\s*\??\s*(?:$|or\s+(?:no|not)\b)|\b(?:ok|okay|fine)\s+(?:with\b|w/|w\b)|"
            r"\bgood to go\b|"  # a claim as typed, then "good to go?"
            # Whether a payer goes along with what a study or a doctor says is its stance on the treatment.
            r"\b(?:go(?:es)?|going) along with\b|\bon board with\b|"
            r"\bstatus\b|"
            # An exception to a decision, or the decision as a yes or no ("is it still a no?")
            r"\bexceptions?\b|\ba (?:hard |flat )?(?:no|yes)\b(?=\s*(?:[?.!,]|$|or\b))|"
            # "where does 0581T land under the policy": the category the policy puts it in
            r"\b(?:land|fall|stand)s?\b[^?.]{0,30}\b(?:under|in|per)\b[^?.]{0,20}\bpolic|"
            # "is it considered experimental": the verb a policy states its decisions with
            r"\bconsider(?:ed|s)?\b"
            r"(?=\s+(?:to be\s+)?(?:experimental|investigational|unproven|medically necessary|not\b|covered))",
            re.I,
        ),
        "a coverage decision",
    ),
    (
        "site-of-service",
        re.compile(
            r"\bsite of service\b|\bplace of service\b|\bpos\b|\bsettings?\b|\bwhere (?:(?:it|they|we) )?(?:is|are|do|"
            r"does|can|would|should|gets?)\b"
            # ("where does the policy list 0971T": where in a document, not where it is done)
            r"(?![^?.]{0,40}\b(?:list|mention|say|cite|name|show|include|discuss|talk)\w*\b)|"
            r"\binpatient\b|\boutpatient\b|\basc\b|\bfacility\b",
            re.I,
        ),
        "the site of service",
    ),
    (
        "study",
        re.compile(
            r"\bstud(?:y|ies)\b|\btrials?\b|\bevidence\b|\bresults?\b|\boutcomes?\b|\brecurrence\b|"
            r"\bsurvival\b|\bparticipants?\b|\bmeta-?analys\w*|\befficacy\b|\bauthors?\b|\bet al\b|"
            r"\bhow many (?:patients|pts|people|participants|subjects|women|men|studies)\b|\brate\b|"
            # a group's statistic ("the avg age of the 20 women in it") and the words for a small study
            + AVERAGE_ASKED.pattern
            + r"|\bpilot\b|\bcohort\b",
            re.I,
        ),
        "study results",
    ),
    (
        "units",
        re.compile(
            r"\bunits?\b|\bhow many times\b|\bper (?:breast|knee|side|session|day|lesion|nodule)\b|"
            # a count of something per something else ("how many PTK treatments per eye per yr"): a rate, a limit
            r"\bhow many\b[^?.]{0,40}?\bper\b|"
            r"\bbilateral\b|\bboth sides\b|\bfrequency\b|\bhow often\b|"
            # Billed twice ("bill 50542 x2"), or for both of a paired organ ("cryo on both kidneys"); "x3 months"
            # of a drug is how long, not how many.
            r"\bx\s?[2-9]\b(?!\s*(?:days?|weeks?|wks?|months?|mos?|years?|yrs?)\b)|"
            r"\bboth (?:kidneys|breasts|knees|legs|lungs|ears|eyes|hips|shoulders|feet|ovaries|"
            r"adrenals|sides)\b",
            re.I,
        ),
        "units and frequency",
    ),
    (
        "description",
        re.compile(
            # ("what does the 47371 summary say the site has to have": what it says of something else)
            # ("long desc", "short desc": how code books and fee schedules label a code's two descriptions)
            r"\bwhat (?:is|does|'s|are)\b(?![^?.]{0,40}\bsay\b)|\bwhats\b|\bdescri\w*|\bmean(?:s|ing)?\b|\bstand for\b|"
            r"\b(?:(?:long|short)\s+)?desc\b|"
            r"\bused for\b|\bdefin\w*|\bcode for\b|\bwhich (?:cpt |hcpcs )?code\b|"
            r"\bwhat (?:cpt |hcpcs )?code\b|\bcpt for\b|\bexplain\b",
            re.I,
        ),
        "a description",
    ),
]
# Attributes only their own words ask for ("modifier", "ICD-10", "effective date"); the others' cue words can
# be words of the subject too ("... stopped after anesthesia": a modifier's case, not a question on anesthesia).
SPECIFIC = {
    "payment",
    "contact",
    "appeal",
    "prior-auth",
    "modifier",
    "icd10",
    "taxonomy",
    "related-codes",
    "codes",
    "date",
    "policy-number",
    "fda",  # (only when the FDA is named: a bare "device" is read by the rest)
}
ATTRIBUTE_WORDS = {name: label for name, _, label in ATTRIBUTES} | {"general": "an answer"}
ATTRIBUTE_CUES: dict[str, list[re.Pattern[str]]] = {}  # every cue of an attribute ("units" has two)
for _name, _cue, _ in ATTRIBUTES:
    ATTRIBUTE_CUES.setdefault(_name, []).append(_cue)
# Conversation, not content: greetings, thanks, hedges and the words around a request. (Function words are
# dropped by the search's own stop list; these are the chat-specific ones it keeps.)
FILLER = set(
    """hi hello hey thanks thank thx ty please pls plz quick question q sorry dumb silly just wondering wonder
    help need know tell me can could would you guys anyone somebody someone ok okay so um uh yeah yes no
    again actually basically real really quickly asap folks all hoping check checking confirm curious
    lookup look find get got wanted want wants trying try sure think believe mean usually typically normally generally
    commonly wat wut us exact exactly precise specific official correct proper still getting pt pts
    bother bothering info looked looking anywhere""".split()
)
# Who the patient is to the clerk or the family ("her twin brother", "a 10 year old girl"): a person, never what
# a document is about. (Not "child", "infant", "women": criteria name them; nor "twin", "mother": twin-twin
# transfusion, a mother's milk.)
_KIN = set(
    """girl boy guy gal lady brother sister son daughter mom dad wife husband grandma grandpa grandmother
    grandfather aunt uncle niece nephew cousin kiddo""".split()
)
# Words that carry no subject even in a table row ("before"/"after" do: they tell modifier 73 from 74).
_FUNCTION = set(
    "the a an of to for is are was were be been do does did doing it its that this these those what which who "
    "whom whose when where why how and or in on with by at as i we our my your me us can could would should will "
    "vs versus "
    "shall may might must there their they them he she his her has have had any some get gets use used using go "
    "goes going need needs done about out anything something everything nothing either neither say says said "
    "many much per via thru during also types kinds sorts".split()
)
# Words that point at where the answer is (the code, the policy, what it says) rather than what is asked of it:
# "how does the Cigna policy describe code 0971T", "does it say anything about 0971T" have no subject words
# beyond the code and the payer.
_REFERENCE = set(
    "code codes cpt hcpcs policy policies document documents guideline guidelines lcd lcds ncd ncds cpb article "
    "articles bulletin bulletins say says said mention mentions mentioned doc docs summary summaries heading "
    "headings subsection list lists".split()
)
# The names of a limit: "what score", "what's the cutoff", "what pain score", "what min nodule size".
_LIMIT_NOUNS = tuple("score grade ratio percent percentage level age size threshold cutoff cut-off volume".split())
# A limit asked for ("how long", "what score", "must") is a criterion in the context of a payer's policy, a
# study figure elsewhere ("how many participants").
_LIMIT_ASK = re.compile(
    r"\bhow (?:long|much|many|soon|often|far|old|big|large|small|recent(?:ly)?)\b|"
    rf"\bwhat(?:'?s| is| are)?(?: the)?(?: \w+)?(?: \w+)? (?:percent\w*|%|(?:{'|'.join(_LIMIT_NOUNS)})s?)\b|"
    r"\b(?:ha(?:s|ve) to|needs? to|must)\b|\b(?:min|max)(?:imum)?\b|\brequires?\b|"
    # "which one is stricter on nodule size": the limit each one sets, compared
    r"\b(?:strict|lenient|loose|tough)(?:er|est)?\s+(?:on|about|with)\b",
    re.I,
)


# The words of a limit's question that name no criterion: "what's the age cutoff" asks an age, of nothing else.
_ASKS_LIMIT = {"what", "what's", "whats", "is", "are", "the", "min", "max", "minimum", "maximum", *_LIMIT_NOUNS}


def _payer_context(text: str) -> bool:
    return bool(payers_named(text, typed=True)) or bool(
        re.search(
            r"\b(?:polic(?:y|ies)|guideline|lcd|ncd|bulletin|cover\w*|approv\w*|criteria)\b",
            FDA_APPROVAL.sub(" ", text),
            re.I,
        )
    )


# Contractions as staff type them, spelled out so the words are read ("what's" is "what is").
_CONTRACTIONS = {
    "what's": "what is",
    "whats": "what is",
    "where's": "where is",
    "wheres": "where is",
    "who's": "who is",
    "how's": "how is",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "what're": "what are",
    "isn't": "is not",
    "doesn't": "does not",
    "don't": "do not",
    "can't": "cannot",
    "won't": "will not",
    "when's": "when is",
    "what've": "what have",
}
# Chart shorthand written with a slash, which reading words would split into single letters ("mean f/u").
_CONTRACTIONS.update(
    {
        "f/u": "follow-up",
        "s/p": "status post",
        "w/o": "without",
        "w/": "with",
        "h/o": "history of",
        "r/o": "rule out",
        "b/l": "bilateral",
        "c/o": "complains of",
    }
)
_CONTRACTION = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in _CONTRACTIONS) + r")(?!\w)", re.I)
_NUMBER_POSSESSIVE = re.compile(r"(?<=\d)['’]s\b")
_ABOUT_PAYERS = re.compile(r"\b(?:which|what|any|list (?:the )?)\s*(?:other\s+)?payers?\b", re.I)
# Whether a patient could have entered a study ("would she have been allowed into the kawamoto study?", in the
# past or the conditional, as of a study done): the study's own entry criteria decide, not a payer.
_STUDY_ENTRY = re.compile(
    r"\b(?:would|could|did|was|were)\b[^.?!;]{0,40}?\b(?:allowed|eligible|included|enrolled|accepted|admitted|"
    r"excluded|qualif\w*)\b[^.?!;]{0,50}?\b(?:stud(?:y|ies)|trials?|cohort)\b",
    re.I,
)
_COMPARING = set(
    "difference differences different differ differs diff between from both versus vs compare compared agree agrees "
    "same".split()
)
_COMPARISON = re.compile(
    r"\b(?:different from|diff(?:er|erence|erent)? between|differ\b|vs\.?|versus|compare[sd]?|"
    r"comparison|same(?:\s+[\w-]+){0,4}\s+as|or is it|which\s+(?:one\s+)?is)\b",
    re.I,
)
_FOLLOW_UP = re.compile(
    r"^\s*(?:and|also|what about|how about|what if|same (?:for|with)|so|then)\b|"
    # (past an "ok" that only acknowledges the answer: "ok what if its a regular hmo member instead"; "ok so what
    # does 0686T describe" starts anew)
    r"^\s*(?:ok(?:ay)?|alright|hm+)\W+(?:and|also|what about|how about|what if)\b",
    re.I,
)
_NAMES_ANOTHER = re.compile(
    r"\b(?:one|ones|code|procedure|thing)\s*\??\s*$|^\s*(?:and|what about|how about|same (?:q |question )?for|"
    r"and for)\b",
    re.I,
)
_HEADCOUNT = re.compile(
    r"\bhow many (?:patients|pts|people|participants|subjects|women|men)\b|" + AVERAGE_ASKED.pattern, re.I
)
# The words a sentence that asks on its own starts with.
_QUESTION_WORD = re.compile(
    r"(?:what|whats|which|how|is|are|does|do|did|can|could|will|would|should|who|when|where|why)(?:\W|$)", re.I
)


def _named_as_one(text: str, known: list[str]) -> list[str]:
    """The words of a turn that name a thing as "the ... one" ("the sound wave liver one"), of those known."""
    m = re.search(r"\b(?:the|an?)((?:\s+[\w.-]+){1,3})\s+ones?\b", text, re.I)
    said = set(words(m.group(1))) if m else set()
    return [w for w in known if w in said]


# A greeting, and the people it addresses: "hi team", "thanks all" (a team named elsewhere is a surgical team).
_GREETING = re.compile(
    r"\bgood (?:morning|afternoon|evening)\b(?:[\s,!]+(?:team|guys|all|folks|everyone|y'?all)\b)?|"
    r"\b(?:hi|hello|hey|thanks|thank you|thx|ty|morning)\b[\s,!]+(?:team|guys|all|folks|everyone|y'?all)\b|"
    r"^\W*(?:team|guys|folks)\b|"
    # the clerk's own team ("can someone on the team tell me", "our team keeps asking")
    r"\b(?:on|for|to|with)\s+(?:the|our|my)\s+team\b|\b(?:our|my)\s+team\b",
    re.I,
)


def _only_names_another(text: str) -> bool:
    """ "what about the liver one thru the scope", "same for the laser one?": a turn that names another subject
    for the same question and asks nothing of its own after it."""
    same = _SAME_ASK.match(text)
    return same is not None and not re.search(rf"\b{_QUESTION_WORD.pattern}", text[same.end() :], re.I)


def asks_on_its_own(text: str) -> bool:
    """Does the message start (past "thanks", "ok") with a word that asks a question of its own?"""
    first = next((w for w in text.lower().split() if w.strip(".,!?:;-") not in FILLER), "")
    return bool(_QUESTION_WORD.match(first))  # "where's", "what's" too


_SAME_ASK = re.compile(
    r"^\s*(?:(?:ok(?:ay)?,?\s+)?(?:and\s+)?(?:what|how) about|(?:and\s+)?what if|same (?:for|with|q))\b", re.I
)
_ALTERNATIVE = re.compile(r"\b(?:instead of|rather than|in place of)\s+(?:(?:doing|having|a|an|the)\s+)*[\w-]+", re.I)
# Where in a document the clerk looked or points ("i looked thru the 'exclusions' section of 0540", "the coverage
# policy section of the UHC doc"): a place, named beside what is asked of it; the subject is what was looked for.
_DOCUMENT_PLACE = re.compile(
    r"[‘'\"“][^‘'\"“”’]{2,40}[’'\"”]\s+(?:section|heading|part)s?\b|"
    r"\b(?:the|their|its|that)\s+(?:[\w-]+\s+){1,3}(?:section|heading|part)s?\s+(?:of|in|on)\s+"
    r"(?:the\s+|their\s+|that\s+)?(?:\d{4}\b|polic(?:y|ies)\b|summar(?:y|ies)\b|doc\w*|guideline|lcd|ncd|[\w&-]+['’]s\b)",
    re.I,
)
_FITS = re.compile(r"indicat|label|fits?$|meets?$|qualif", re.I)  # the words asking whether a case is within it
_ONE_OF = re.compile(r"\b(?:which|what)(?:'?s|\s+is)?\s+(?:the\s+)?(?:\w+\s+)?ones?\b", re.I)
_ON_THE_LIST = re.compile(r"\b(?:on|in) (?:the|that|this|their|its) (?:list|table|chart|grid)\b|\blisted\b", re.I)
_REFERRING = re.compile(r"\b(?:it|that|this|they|them|those|these)\b", re.I)
_PRONOUN = re.compile(r"\b(?:it|that|this|they|them|those|these|ones?|same)\b", re.I)
_THING = re.compile(r"\b(?:it|them)\b", re.I)  # a pronoun for a thing done, not for what was said
_SAID_BEFORE = re.compile(r"\b(?:that|this)\b", re.I)  # a pronoun that may stand for what was said
# An age is said of a person ("74 y/o", "74-year-old", "aged 74", "pt is 74"); a bare "5-year" or "5 yr" is a
# length of time ("5-year DFS", "5 yr recurrence") and is not read as one.
# A bare number is an age where the phrase ends on it ("pt 68, tumor 1.4cm", "shes 19 tho", "pt is 74 and ..."),
# not where a unit or a noun follows ("pt 3 cm", "pt 20 units", "she is 20 weeks pregnant", "she's 35 bmi").
# (a run-on question after it too: "pt is 68 does she fit the indication")
_ENDS_AN_AGE = (
    r"(?=\s*(?:$|[,.;:?!)/-]|(?:and|with|w|who|tho|but|so|yo|y/o|f|m|does|do|did|is|can|could|will|would|should)\b))"
)
_CHILD = r"pt|patient|baby|infant|child|kid|son|daughter|boy|girl|brother|sister|twin|member"
_AGE = re.compile(
    r"\b(\d{1,3})\s*-?\s*(?:y/?o\b|yo\b|yrs?[- ]old\b|years?[- ]old\b)|\bage[ds]?\s*(\d{1,3})\b|"
    # an infant's age in months, said of the child ("he's only 10 months old", "an 18 month old boy"; not "her
    # implants are 18 months old"), read in whole years
    rf"\b(?:{_CHILD}|he|she)(?:['’]?s|\s+is|\s+was)?\s+(?:only\s+|just\s+)?(?:an?\s+)?"
    r"(?P<months>\d{1,2})\s*-?\s*(?:months?|mos?)[- ]old\b|"
    rf"\b(?P<months_before>\d{{1,2}})\s*-?\s*(?:months?|mos?)[- ]old\s+(?:{_CHILD})\b|"
    r"\b(\d{2})\s*(?:[mf]|yo[mf])\b(?!\w)|"
    rf"\b(?:pt|patient|member|she|he) (?:is|was) (\d{{2}})\b{_ENDS_AN_AGE}|"
    # "pt 68, tumor 1.4cm": a bare number right after "pt" is an age (not "pt 3 cm", "pt 2 weeks out")
    rf"\b(?:pt|patient)\s+(\d{{2}})\b{_ENDS_AN_AGE}|"
    # "she's 19 tho", typed "shes 19" (not "she's 19 weeks pregnant", "she's 35 bmi")
    rf"\b(?:she|he)['’]?s\s+(\d{{2}})\b{_ENDS_AN_AGE}",
    re.I,
)
_SEX = re.compile(
    r"\b(female|woman|women|lady|she|shes|her|girl|\d{2}\s*f|male|man|men|he|him|his|boy|\d{2}\s*m)\b", re.I
)
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(cm|mm|centimet\w*|millimet\w*)\b", re.I)


class Vocabulary(Protocol):
    """What question understanding needs to know of the index (the Retriever provides it)."""

    def knows_code(self, code: str) -> bool: ...

    def code_list(self) -> list[str]: ...

    def frequency(self, word: str) -> int: ...

    def spelled_like(self, word: str) -> str | None: ...

    def spelled_out(self, word: str) -> str | None: ...


def understand(question: str, vocabulary: Vocabulary, history: Sequence[dict] | None = None) -> Query:
    """The question as understood, with follow-up references resolved from the earlier user turns."""
    previous = None
    answered: tuple[str, ...] = ()
    for turn, answer in [*_turns(history)[-3:], (question, "")]:
        own = _read(turn, vocabulary)
        if previous is not None and answered and _points_back(own):
            previous = replace(previous, codes=answered)
        resolved = _modifier_named(_resolve(own, previous, vocabulary), previous, own, vocabulary)
        if previous is not None and resolved.parts:
            resolved = replace(resolved, parts=tuple(_go_on(p, previous, vocabulary) for p in resolved.parts))
        previous, answered = _named_alone(resolved), _answered_code(resolved, answer)
    assert previous is not None
    return previous


def _named_alone(query: Query) -> Query:
    """A question that only names its subject, nothing carried from a turn before ("0971T?", "cigna 0540?"),
    asks what the subject is: what a code is, what a payer's policy decides."""
    if query.attribute != "general" or query.topic or query.parts or query.where or query.resolved != query.text:
        return query
    if query.patient:
        return query  # "pt 74 F 2.5 cm, 0581T?": a case told, what of it is not said
    if query.payers or query.documents:
        return replace(query, attribute="coverage")
    return replace(query, attribute="description") if query.codes else query


def _go_on(part: Query, previous: Query, vocabulary: Vocabulary) -> Query:
    """A question of a follow-up message that names no subject ("and the cpt + how many units ...") goes on from
    the turn before; one that names its own is asked as it is."""
    return _resolve(part, previous, vocabulary) if not (part.codes or part.documents or part.topic) else part


def _turns(history: Sequence[dict] | None) -> list[tuple[str, str]]:
    """The user's turns, each with the answer given to it ("" when none follows)."""
    turns: list[tuple[str, str]] = []
    for turn in history or []:
        content = turn.get("content") if isinstance(turn, dict) else None
        if not isinstance(content, str):
            continue
        if turn.get("role") == "user":
            turns.append((content, ""))
        elif turn.get("role") == "assistant" and turns and not turns[-1][1]:
            turns[-1] = (turns[-1][0], content or " ")
    return turns


def _answered_code(query: Query, answer: str) -> tuple[str, ...]:
    """The code a turn that asked which code to bill, naming none, was answered with: the one procedure code the
    answer's first sentence names ("0971T — Ablation, malignant breast tumor(s), ... laser ... [1]."); none when
    it names two or more, or the documents did not say."""
    first = answer.split(QUOTES_HEADING, 1)[0].strip()
    if query.attribute != "codes" or query.codes or not first or first.startswith(NOT_SAID):
        return ()
    sentence = re.split(r"(?<=[.?!])\s", first, maxsplit=1)[0]
    found = {c.value for c in code_rules.find_in_query(sentence) if c.kind in ("cpt", "hcpcs")}
    return tuple(found) if len(found) == 1 else ()


def _points_back(query: Query) -> bool:
    """Does a turn point back at what was just answered ("will cigna pay for that?"), naming nothing new ("and
    the liver one?" names another procedure)?"""
    return bool(not query.codes and _REFERRING.search(query.text) and not _NAMES_ANOTHER.search(query.text))


# A bare two-character code ("73", "QX"): how modifier tables key their rows.
_BARE_MODIFIER = re.compile(r"(?<![\w.$])([0-9]{2}|[A-Z][A-Z0-9]|[0-9][A-Z])(?![\w.%])")


def _modifier_named(query: Query, previous: Query | None, own: Query, vocabulary: Vocabulary) -> Query:
    """In a conversation about modifiers, or in a question naming nothing else, a bare two-character code the
    documents key a row by is a modifier: "what's 73 for?" after "which modifiers go with 0686T?" asks what
    modifier 73 is for on 0686T. A number read as the patient's age is not one."""
    about_modifiers = previous is not None and previous.attribute == "modifier"
    # Alone, a question that names nothing but the code ("thanks. what's 62 for?") asks what that code is.
    bare = not own.topic and own.attribute in ("description", "general")
    # In a conversation about modifiers, "on that code" points back at the procedure; it asks for no codes.
    readable = ("modifier", "description", "general", *(("codes",) if about_modifiers else ()))
    if not (about_modifiers or bare) or query.attribute not in readable:
        return query
    age = str(query.patient.age) if query.patient and query.patient.age is not None else ""
    named = [
        m for m in _BARE_MODIFIER.findall(query.text) if m != age and m not in query.codes and vocabulary.knows_code(m)
    ]
    if not named:
        return query
    procedures = [c for c in query.codes if code_rules.kind_of(c) != "modifier"]
    codes = (*dict.fromkeys(named), *procedures)
    on = " and ".join(procedures)
    resolved = f"What is modifier {' and '.join(named)} for{' on ' + on if on else ''}?"
    return replace(query, attribute="modifier", codes=codes, resolved=resolved)


# A code the question sets aside ("besides c61 what other dx", "dont want C22.0 since ca isnt confirmed"): what is
# asked is another entry of its kind, never that code.
_SET_ASIDE = re.compile(
    r"(?:\bbesides|\bother than|\bapart from|\bexcept(?: for)?|\binstead of|\brather than|\bnot|"
    r"\bdo not want|\bdont want|\bdo not use|\bdont use)\s+(?:(?:the|a|an|code|dx|cpt|icd-?10)\s+){0,2}$",
    re.I,
)


# Attributes answered by the entries of a lookup table keyed by codes of their own kind (a diagnosis, a modifier,
# a taxonomy): a code of that kind set aside points to the others, while the procedure stays the subject.
_TABLE_KINDS = {"icd10", "modifier", "taxonomy"}


# What the question says the procedure is not: "cpt for percutaneous liver cryo? not lap", "non-laparoscopic".
_RULED_OUT = re.compile(
    r"\b(?:not|non|no longer|instead of|rather than|other than)[\s-]+"
    r"(?:(?:a|an|the|by|via|through|thru|using|with|done)\s+)*"
    # a word of a procedure, not of a decision or a hedge ("not covered", "not sure")
    r"(?!(?:covered|sure|that|this|it|yet|only|just|even|really|medically|necessary|approved)\b)([a-z]{3,})",
    re.I,
)


def _set_aside(text: str, codes: Sequence[str]) -> set[str]:
    return {
        c
        for c in codes
        for m in re.finditer(re.escape(c), text, re.I)
        if _SET_ASIDE.search(text[max(0, m.start() - 40) : m.start()])
    }


# "where does the policy say ...", "where in 0540 does it list ...": the words after the verb are the statement.
# (the asking "where", before its verb: not "the paper where the authors said ...")
_WHERE_SAID = re.compile(
    r"\bwhere\s+(?:in\s+\S+(?:\s+\S+){0,3}?\s+)?(?:does|do|did|is|are|was|can)\b[^?.!]{0,60}?"
    r"\b(?:say|says|said|state|states|stated|list|lists|listed|mention|mentions|mentioned)\b"
    r"(?:\s+that)?(?P<said>[^?.!]*)|"
    # the words themselves asked for, to copy ("the exact sentence from 0540 that says reimbursement isnt
    # allowed", "quote the line about how many breasts"): the statement is looked up as where it is said
    r"\b(?:sentence|wording|words|line|language|verbiage|text)\b[^?.!]{0,40}?"
    r"\b(?:that|which)\s+(?:says?|states?|mentions?|talks about)\b(?P<copied>[^?.!]*)|"
    r"\b(?:quote|cite|copy)\s+(?:me\s+)?(?:the|that|this)\s+(?:exact\s+)?(?:sentence|line|wording|language|text)\s+"
    r"(?:about|on|for|re)\b(?P<quoted>[^?.!]*)",
    re.I,
)
# Asked for words as they stand, to copy them.
_COPY_ASKED = re.compile(r"\b(?:exact(?:ly)?|verbatim|word for word|quote|copy|paste|cite)\b", re.I)
# Where in a document something is said: its section or heading ("which section is that in?", "under what
# heading", "what part of the policy").
_WHERE_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:section|heading|subsection|part of (?:the|that|this|their) "
    r"(?:policy|document|summary|guideline))\b|\bunder what\s+(?:section|heading)\b|"
    # which document it comes from ("which doc is that even from", "what document is C78.7 in")
    r"\b(?:which|what)\s+(?:doc|document|summary|policy)\s+(?:is|are|was)\b[^?!]{0,30}?\b(?:from|in)\s*(?=[?.,;!]|$)",
    re.I,
)
# Asked for a source: its entry, citation or where it was published; "which version did cigna cite" asks what was
# cited, where "cigna cites galati and kawamoto - how many pts in each" names the studies.
SOURCES_ASKED = re.compile(
    r"\b(?:referenc|citation|bibliograph|journal|publi(?:shed|cation))|\bref\b\.?\s*(?:#|no\b|number\b)|"
    r"\b(?:which|what)\b(?:\s+\w+){0,3}\s+(?:did|does|do)\s+\w+\s+cite\b|"
    # the parts of a citation: volume and pages ("vol + pages on that one?")
    r"\bvol(?:ume)?\.?\s*(?:\+|and|&|/|,)\s*(?:pages?|pp)\b",
    re.I,
)
# Asked which other documents a document points to ("which other cigna policies does it link to", "does the
# policy point to any related coverage policies"): the documents asked for, and how they are tied to this one.
_DOCUMENTS_ASKED = re.compile(
    r"\b(?:which|what|any|list)\b[^?.!]{0,40}?\b(?:polic(?:y|ies)|guidelines?|documents?|resources?|bulletins?)\b", re.I
)
_TIED = re.compile(
    r"\b(?:related|linked)\b|\b(?:point|link|refer|cross[- ]?refer)\w*\s+(?:to|out)\b|\bsee also\b|"
    # "which other cigna policies": the others asked for by name (not "covered under any other policy")
    r"\b(?:which|what)\s+other\b",
    re.I,
)


def asks_for_other_documents(text: str) -> bool:
    """Does a question ask which other documents a document points to?"""
    return bool(_DOCUMENTS_ASKED.search(text) and _TIED.search(text))


# A reference list's entry asked for ("which numbered reference is that?", "ref # and the title?"), not sources
# named as context ("is it fda approved, per the references?").
_REFERENCE_ASKED = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}?(?:reference|citation|ref)\b|\bref(?:erence)?\.?\s*(?:#|no\b|number\b)", re.I
)
_TAIL_ASK = re.compile(r"\s[-–—]+\s+((?:\S+\s+){0,4}\S+\?)\W*$")


def _payers_called(text: str, vocabulary: Vocabulary, notes: list[str]) -> str:
    """A payer typed by the first word of its name alone ("quartz pt"), read as the payer, in full, where the
    index holds its documents and nothing else says the word (Retriever.payer_called)."""
    called = getattr(vocabulary, "payer_called", None)
    if called is None:
        return text
    named = mentions(text, typed=True)
    clauses = [c for c in re.finditer(r"[^,;.?!]+[,;.?!]*", text) if c.group(0).strip()]

    def told_before_another(m: re.Match[str]) -> bool:
        """In a clause that tells the case before one that asks of a payer named in full ("pt referred from
        sanford clinic, does bcbstx cover it?"): the word is the case's (a clinic), not the payer asked."""
        at = next((n for n, c in enumerate(clauses) if c.start() <= m.start() < c.end()), 0)
        later = [c.group(0) for c in clauses[at + 1 :]]
        return not _is_asking(clauses[at].group(0)) and any(
            _is_asking(c) and payers_named(c, typed=True) for c in later
        )

    def said_as_a_plan(m: re.Match[str]) -> bool:
        """Said where a plan is said: asked of ("does quartz cover", "for quartz"), held ("pt has quartz"), or
        before whom or what of the plan ("quartz pt", "quartz's policy", "quartz badgercare plus") - not "the
        baylor clinic", "at sanford", "a harvard professor"."""
        before = re.search(r"(\w+)\W*$", text[: m.start()])
        after = text[m.end() :]
        return bool(
            (before and before.group(1).lower() in _ASKED_OF_A_PLAN)
            or _DECIDED_BY.search(text[: m.start()])
            or _OF_A_PLAN.match(after)
            # ("mgb y90 policy": the plan's policy on a subject named between, when no other plan is named)
            or (not named and _POLICY_OF_A_PLAN.match(after))
            or any(start == len(after) - len(after.lstrip()) + m.end() for _, start, _ in named)
        )

    def read(m: re.Match[str]) -> str:
        payer = called(m.group(0))
        # (a word of a name typed in full, "quartz health solutions", is read with it)
        if payer is None or any(start <= m.start() < end for _, start, end in named) or told_before_another(m):
            return m.group(0)
        if not said_as_a_plan(m):
            return m.group(0)
        note = f"Reading {m.group(0)} as {payer}"
        if note not in notes:
            notes.append(note)
        return payer

    return re.sub(r"(?<![\w-])[A-Za-z]{3,}(?![\w-])", read, text)


# The words around a plan's name where a clerk names the plan ("does quartz cover", "pt has sanford", "quartz
# pt", "sanford's policy"), not a clinic, a school or a brand of the same name.
_ASKED_OF_A_PLAN = set("does do did will would can could should is are has have had with for on under per".split())
# "covered by quartz", "denied by sanford": a decision is a plan's ("seen by", "referred by" are a clinic's).
_DECIDED_BY = re.compile(r"\b(?:cover|pa(?:y|id)|den(?:y|ie)|approv|reimburs|requir|authori[sz])\w*\s+by\W*$", re.I)
_OF_A_PLAN = re.compile(
    r"(?:'s\b|\s+(?:pts?|patients?|members?|plans?|polic(?:y|ies)|commercial|medicaid|medicare|ppo|hmo|epo|pos|aco|"
    r"advantage|need|needs|require[sd]?|cover|covers|pay|pays|want|wants|say|says)\b)",
    re.I,
)
_POLICY_OF_A_PLAN = re.compile(r"\s+(?:[\w-]+\s+){1,2}polic(?:y|ies)\b", re.I)


# The words a question opens with, typed a keystroke off ("wich heading", "waht code"): read as the word, for
# what they ask, where a question word stands (opening a clause, or after "under", "in", "of": "under wich
# heading"), not elsewhere ("is whey protein covered"). (Only words of four letters or more that are no English
# word: "wen", "hwo" are too short to tell.)
_QUESTION_WORDS = ("which", "what", "where", "when", "does", "should", "could", "would", "whose")
_QUESTION_WORD_TYPO = re.compile(
    r"(?:^|(?<=[,.;:?!(\-–—]\s)|(?<=[,.;:?!(])|(?<=\band\s)|(?<=\bor\s)|(?<=\bbut\s)|(?<=\bso\s)|(?<=\bunder\s)|"
    r"(?<=\bin\s)|(?<=\bof\s)|(?<=\bok\s)|(?<=\bthen\s))\s*\b[A-Za-z]{4,6}\b"
)


@cache
def _question_word_for(lowered: str) -> str | None:
    from rapidfuzz.distance import OSA

    from .embeddings import english_words

    # (a typo keeps the first letter: "wich", "shoud")
    near = [w for w in _QUESTION_WORDS if w[0] == lowered[0] and OSA.distance(lowered, w) == 1]
    if lowered in _QUESTION_WORDS or len(near) != 1 or lowered in english_words():
        return None
    return near[0]


def _question_word(m: re.Match[str]) -> str:
    typed = m.group(0)
    word = typed.strip()
    fixed = _question_word_for(word.lower())
    return typed[: len(typed) - len(typed.lstrip())] + fixed if fixed else typed


def _read(question: str, vocabulary: Vocabulary, message: str = "") -> Query:
    """One question on its own."""
    notes: list[str] = []
    text = code_rules.normalise(_CONTRACTION.sub(lambda m: _CONTRACTIONS[m.group(0).lower()], question))
    text = _GREETING.sub(" ", text)  # "good morning :)": a greeting, not morning stiffness
    text = _QUESTION_WORD_TYPO.sub(_question_word, text)
    text = _NUMBER_POSSESSIVE.sub("", text)  # "cigna 0540's take": the policy numbered 0540
    text = _PRONOUN_ONE.sub(_without_one, _lookalike_digits(_dotted(text, vocabulary, notes), notes))
    text = _bare_modifiers(text, vocabulary)
    text = _payers_called(text, vocabulary, notes)
    patient, spans = _patient(text)
    codes: list[str] = []
    named = {c.value for c in code_rules.find_in_query(message or text)}  # the whole message's, for a part of it
    for code in code_rules.find_in_query(text):
        if code.kind == "policy":
            continue
        if code.kind == "icd10" and "." not in code.value and not vocabulary.knows_code(code.value):
            continue  # "T12", "L5 and S1": a spine level no document has as a diagnosis code, not a code
        value = code.value
        if not vocabulary.knows_code(value):
            fixed = _near_code(value, vocabulary.code_list())
            # A code the question names too is no typo's: "47370 ... billed w/ 47371" asks of two codes; nor one
            # whose documents never say what the question names ("prior auth for a stapled hemorrhoidopexy
            # 46947" is no 46917 of an anal lesion policy): among hundreds of policies most codes have a
            # neighbour a keystroke away.
            if fixed and fixed not in named and _fits_code(text, code.value, fixed, vocabulary, named):
                notes.append(f"Reading {value} as {fixed}")
                text = text.replace(code.value, fixed)
                value = fixed
        codes.append(value)
    text, spans = _done_again(text, spans, vocabulary, notes)
    text, spans = _in_dictionary_form(text, spans, vocabulary)
    text, spans, corrected = _spelled(text, spans, vocabulary)
    bare = _without(text, spans)
    attributes = [name for name, cue, _ in ATTRIBUTES if cue.search(_case_dx_out(bare))]
    if "fda" in attributes and not _FDA_NAMED.search(_case_dx_out(bare)):
        attributes.remove("fda")  # "device" named, nothing asked of the FDA: read by the rest, or by meaning
    if "payment" in attributes and _other_acronym(_case_dx_out(bare), vocabulary):
        attributes.remove("payment")  # "is hybrid APC covered": argon plasma coagulation, as the documents define it
    if (
        attributes[1:]
        and attributes[0] == "coverage"
        and _only_acceptable(_case_dx_out(bare))
        and not asked_payers(text)
    ):
        attributes.remove("coverage")  # "where's it done, is an asc ok?": the setting is what is to be ok
    if attributes[1:] and attributes[0] == "coverage" and not _decision_asked_beyond_saying(_case_dx_out(bare)):
        attributes.remove("coverage")  # "what does it say about place of service": what it says of that
    if attributes[1:] and attributes[0] == "coverage" and not asked_payers(text) and not _decision_asked(bare):
        attributes.remove("coverage")  # "can i bill it once for both sides": how it is billed, not whether paid
    # What is asked is asked by the sentence that asks: "... w/ the focused ultrasound device, IR and surg onc
    # split the work. which mod do we put on 0686T?" asks for a modifier, not for the device's FDA status too.
    # The statements of the case before it decide only when it names nothing to ask for; a remark after it
    # ("what cpt do i bill? doing both sides same day") goes on asking.
    # (the clause kept with it for what "it" stands for asks nothing: "appealing a 19499 denial (...). dr
    # insists the studies show it works - does 0540 credit those studies?")
    questions = _asking_spans(text, spans, after_dash=True)
    start = questions[0][0] if questions else 0
    own = [name for name, cue, _ in ATTRIBUTES if cue.search(bare[start:])] if start else []
    attributes = [a for a in attributes if a in own] or attributes
    # After a case told in sentences, a short question set off at the end ("... bilateral RDN w/ an FDA approved
    # system - med necessary?") asks; the words before the dash tell the case. (In one sentence the words before
    # it may ask too: "... when criteria aren't met - investigational or not medically necessary?")
    tail = _TAIL_ASK.search(bare) if re.search(r"[.?!]\s", bare) else None
    own = [name for name, cue, _ in ATTRIBUTES if cue.search(tail.group(1))] if tail else []
    attributes = [a for a in attributes if a in own] + [a for a in attributes if a not in own]
    if _REFERENCE_ASKED.search(bare[start:]):
        # "0540 quotes 'FDA (2025)' in the prosense part. which numbered reference is that?": a source is asked
        # for, its entry in a reference list; what the source is about asks nothing.
        attributes = [a for a in attributes if a not in ("fda", "study")]
    quoted = _WHERE_SAID.search(bare)
    if quoted and quoted.group("said") is None and not _COPY_ASKED.search(bare):
        # (a line of a denial quoted to ask something else of it is no request to copy it: "the EOB line that
        # says CO-50 ..., how do we appeal?")
        quoted = None
    said = next((g for g in (quoted.group("said", "copied", "quoted") if quoted else ()) if g is not None), "")
    if quoted and _topic(said, "general", []):  # ("where does it say that?": what was asked stands)
        # "appeal reviewer wants the cite - where does cigna say ablation isn't a standard of care?": a statement
        # is looked up; what it says is what is asked, the case around it asks nothing.
        attributes = [a for a in attributes if any(c.search(said) for n, c, _ in ATTRIBUTES if n == a)]
    # The words themselves asked for, to copy: a statement of the document's, whatever it speaks of, looked up.
    copying = bool(quoted and quoted.group("said") is None and _topic(said, "general", []))
    together = _TOGETHER.search(text)
    if together:
        # Whether two codes go on one claim is said of the pair, in a sentence (a bundling note, an FAQ's answer),
        # not by a list of the codes billed beside one of them; "can i bill them both" asks no decision ("will
        # cigna cover it if we bill them on the same day" does).
        rest = _BILL_ASK.sub(" ", text[: together.start()] + text[together.end() :])
        decided = "coverage" in attributes and any(cue.search(rest) for cue in ATTRIBUTE_CUES["coverage"])
        attributes = [a for a in attributes if a not in ("related-codes", "codes") and (a != "coverage" or decided)]
    elif _billed_with(text) and "related-codes" not in attributes[:1]:
        attributes = ["related-codes", *[a for a in attributes if a != "related-codes"]]
    if _AGREE.search(text) and payers_named(text, typed=True) and not (attributes and attributes[0] in SPECIFIC):
        # "do aetna and the novitas LCD agree on it": whether payers agree is their stance, compared; "do the
        # studies agree" (no payer) is not.
        attributes = ["coverage", *[a for a in attributes if a != "coverage"]]
    if _ABOUT_PAYERS.search(text):
        attributes = [a for a in attributes if a != "coverage"]  # "which payers are covered in the analysis"
    if _STUDY_ENTRY.search(text) and not payers_named(text, typed=True):
        attributes = ["study", *[a for a in attributes if a not in ("study", "coverage")]]
    elif "study" in attributes and _names_a_study(text, vocabulary):
        # "varga-holm trial - how many units of blood ...": what a study the documents name by its author found
        attributes = ["study", *[a for a in attributes if a != "study"]]
    if (
        _LIMIT_ASK.search(text)
        and (_payer_context(text) or "criteria" in attributes)
        # ("does it have to be hospital outpatient": where it is done, not a criterion)
        and not (attributes and (attributes[0] in SPECIFIC or attributes[0] == "site-of-service"))
        and not _HEADCOUNT.search(text)  # "how many pts were in the ji 2024 study": a study's, not a limit
    ):
        # "how long must pain last", "what ODI score": a limit, when the question is about a payer's policy
        attributes = ["criteria", *[a for a in attributes if a != "criteria"]]
    attribute = attributes[0] if attributes else _by_meaning(_without(text, spans), vocabulary)
    attribute = "general" if copying else attribute
    # Another entry of a table is asked for ("besides C61 what other dx", "not C22.0"): the code set aside is no
    # subject. Elsewhere a code after "besides" or "not" is still what the question is about ("besides 55873,
    # what other codes do we bill with it?", "why not 55873?").
    set_aside = _set_aside(text, codes) if attribute in _TABLE_KINDS else set()
    codes = [c for c in codes if c not in set_aside]
    payers = _payers_asked(text)
    known = getattr(vocabulary, "uses_in_text", None) or getattr(vocabulary, "frequency", None)
    # A part of a document named where something else is asked of it is where, not what; named alone ("what
    # does the background section of 0540 say") it is what is asked.
    places = [m.span() for m in _DOCUMENT_PLACE.finditer(text)]
    beside = places and _topic(_without(text, [*spans, *places]), attribute, payers, known)
    spans_and_places = [*spans, *places] if beside else spans
    topic = _topic(_without(text, spans_and_places), attribute, payers, known)
    if copying:
        # Asked for the words to copy, the statement they make is the subject, not the request ("exact", "line").
        topic = _topic(said, attribute, payers, known) or topic
    measured = _measure_spans(text, patient)
    # What a procedure is done instead of ("freeze it instead of doing a lumpectomy") is the case, not the subject.
    case = [*spans_and_places, *(m.span() for m in _ALTERNATIVE.finditer(text))]
    asked = set(
        _topic(
            _without(_asking(text, spans, lambda t: bool(_topic(t, attribute, payers)), measured), case),
            attribute,
            payers,
            known,
        )
    )
    context = tuple(w for w in topic if w not in asked) if asked else ()
    for typed, fixed in corrected:
        notes.append(f"Reading “{typed}” as “{fixed}”")
    spelled: list[str] = []
    acronyms = []
    for short, long in _acronyms_defined(_without(text, spans), vocabulary):
        # The search reads both forms (a passage may use either); the subject keeps the one typed, so one
        # term does not weigh as three.
        notes.append(f"Reading “{short}” as “{long}”")
        spelled += [w for w in words(long) if w not in topic and len(w) >= 3 and not _is_stop(w)]
        acronyms.append((short.lower(), long))
    focus = [w for w in words(_without(text, spans)) if w not in FILLER and w not in _FUNCTION]
    # The search reads every meaningful word (what is asked helps find where it is said); the topic, the
    # subject alone, decides what the question is about.
    search = " ".join(dict.fromkeys([*codes, *topic, *spelled, *[w for w in focus if w.upper() not in codes]]))
    search = search or _without(text, spans)
    policy = [c.value for c in code_rules.find_in_query(text) if c.kind == "policy"]
    query = Query(
        focus=tuple(focus),
        text=question,
        resolved=question,
        search=search,
        codes=tuple(dict.fromkeys(codes)),
        payers=tuple(payers),
        programs=tuple(programs(text)),
        attribute=attribute,
        topic=tuple(topic),
        context=context,
        patient=patient,
        documents=tuple(policy),
        notes=tuple(notes),
        set_aside=tuple(sorted(set_aside)),
        ruled_out=tuple(m.group(1).lower() for m in _RULED_OUT.finditer(text)),
        acronyms=tuple(acronyms),
        where=bool(_WHERE_ASKED.search(text) or quoted),
    )
    authors: Set[str] = getattr(vocabulary, "study_authors", frozenset)()
    parts = _compared(query, text, authors) or _asks(question, vocabulary) or _parts(query, text, attributes)
    return replace(query, parts=parts)


# What each attribute asks, in a sentence: a question with none of the cue words is read by meaning against
# these ("is the pt awake or fully under?" asks about anesthesia).
ATTRIBUTE_MEANINGS = {
    "coverage": "Does the insurance plan cover or pay for this procedure, or is it not medically necessary?",
    "criteria": "What requirements must the patient meet for the procedure to be approved?",
    "modifier": "Which billing modifier is appended to the procedure code in this situation?",
    "icd10": "Which ICD-10 diagnosis codes go with this procedure?",
    "taxonomy": "Which physician specialty or provider taxonomy performs this procedure?",
    "related-codes": "Which other CPT codes are billed together with this procedure, such as imaging guidance?",
    "site-of-service": "Where is the procedure done: hospital outpatient, surgery center, office or inpatient?",
    "anesthesia": "Is the patient awake, sedated, or under general anesthesia during the procedure?",
    "fda": "Is the device approved or cleared by the FDA, and for which patients?",
    "study": "What did the clinical study find: how many patients took part, what rates and outcomes?",
    "description": "What is this procedure and what does its billing code describe?",
    "units": "How many units are billed, per side or per lesion, and how is it billed for both sides?",
    # Who usually has the procedure is told in a document's words ("A typical patient is a 62-year-old ..."),
    # not set as a requirement: the sentences that say it answer, not the criteria.
    "general": "Who is the typical patient for this procedure: how old, which sex, what diagnosis?",
}
# How near in meaning (cosine, all-MiniLM-L6-v2) a question must be to an attribute's sentence to be read as
# asking it. Tuned on the staff dev split with the bundled set as a check (int8 vectors: 0.45: 54 right on dev but
# 146/156 bundled; 0.5: 53 and 147; 0.55 and 0.6: 53 and 150).
MEANING_FLOOR = 0.55


def _by_meaning(text: str, vocabulary: Vocabulary) -> str:
    nearest = getattr(vocabulary, "nearest_meaning", None)
    if nearest is None:
        return "general"
    name, similarity = nearest(text, ATTRIBUTE_MEANINGS)
    return name if similarity >= MEANING_FLOOR else "general"


# "can i bill 77013 with the bone cryoablation", "add 76942 on top of it": a code billed beside a procedure.
_BILLED_WITH = re.compile(
    # a code, or one described ("bill an ultrasound guidance code with the breast cryo")
    r"\b(?:bill|report|add|code|charge|use)\w*\s+(?:cpt\s+|code\s+)?"
    r"(?P<code>[0-9]{4}[0-9A-Z]|[A-Z][0-9]{4}|(?:an?|the)\s+(?:[\w-]+\s+){1,4}?codes?)\b"
    r"[^?.]{0,30}?\b(?P<link>with|on top|along with|together with|in addition to|as well|too)\b(?P<rest>[^?.]*)",
    re.I,
)


_BILL_ASK = re.compile(r"\b(?:can|could|may|should|do) (?:i|we|they|you) (?:bill|report|code|charge|submit)\b", re.I)


def _decision_asked(text: str) -> bool:
    """Is a payer's decision asked in other words than "can I bill", which with another thing asked ("can i bill
    it once for both sides", "can we bill it with modifier 52") asks how to bill, not whether it is paid?"""
    rest = _BILL_ASK.sub(" ", _case_dx_out(text))
    return any(cue.search(rest) for cue in ATTRIBUTE_CUES["coverage"])


# Two codes billed as a pair ("bill 64530 and 64680 both", "... together", "... on the same day").
_TOGETHER = re.compile(
    r"\b(?:bill|report|code|charge|submit|claim)\w*\s+(?:cpt\s+|codes?\s+)?"
    r"\d{4}[0-9A-Z]\s*(?:and|&|\+|/)\s*\d{4}[0-9A-Z]\b[^?.]{0,30}?\b(?:both|together|(?:on )?the same "
    r"(?:day|dos|date|session|sitting|claim))\b",
    re.I,
)


def billed_code(text: str) -> str | None:
    """The code a question asks to bill beside another ("can i bill 76940 ... on top of 58580": 76940)."""
    m = _BILLED_WITH.search(text)
    return m.group("code").upper() if m else None


def _billed_with(text: str) -> bool:
    """Does the question ask whether a code is billed beside a procedure? "bill 0581T with cigna?" asks a
    payer's decision: what follows "with" must be more than a payer's name."""
    m = _BILLED_WITH.search(text)
    if m is None:
        return False
    if not m.group("link").lower().endswith("with"):
        return True  # "on top", "as well", "too", "in addition to"
    rest = m.group("rest")
    if re.match(r"\s*(?:an?\s+|the\s+)?mod(?:ifier)?s?\b", rest, re.I) and not any(
        c.kind in ("cpt", "hcpcs") for c in code_rules.find_in_query(rest)
    ):
        return False  # "can we bill 0581T with modifier 52": a modifier is no code billed beside it
    for _, start, end in reversed(mentions(rest, typed=True)):
        rest = rest[:start] + rest[end:]
    return bool(re.search(r"[a-z]{2,}", rest, re.I) or code_rules.find_codes(rest))  # "bill 76975 with 48999"


def _without(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """The text with the patient's details blanked out (same length, so offsets still hold)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _patient(text: str) -> tuple[Patient, list[tuple[int, int]]]:
    spans: list[tuple[int, int]] = []
    age = None
    for m in _AGE.finditer(text):
        value = int(next(g for g in m.groups() if g))
        if m.group("months") or m.group("months_before"):
            age = age if age is not None else value // 12
            spans.append(m.span())
        elif 0 < value < 120:
            age = age if age is not None else value
            spans.append(m.span())
    sizes: list[float] = []
    said: list[str] = []
    for m in _SIZE.finditer(text):
        size = float(m.group(1)) / (10 if m.group(2).lower().startswith("m") else 1)
        sizes.append(round(size, 2))
        said.append(f"{m.group(1)} {m.group(2).lower()}")
        spans.append(m.span())
    sex = None
    for m in _SEX.finditer(text):
        word = m.group(1).lower()
        sex = (
            "female"
            if word in {"female", "woman", "women", "lady", "she", "shes", "her", "girl"} or word.endswith("f")
            else "male"
        )
        if re.search(r"\d", word) or word in {"female", "male", "woman", "man"}:
            spans.append(m.span())
        break
    measures = stated_measures(text, tuple(spans))
    return Patient(age, sex, tuple(sizes), tuple(spans), tuple(said), measures), spans


# The words that open a question in English: a sentence (or, after a patient's details, a comma-separated
# clause) that begins with one asks; the statements around it give the case.
_ASKING = re.compile(
    r"^\W*(?:do|does|did|is|are|was|were|will|would|can|could|should|shall|may|must|what|which|how|when|where|"
    r"who|whom|why|any)\b",
    re.I,
)


# A sentence of a question ("1.4cm" does not end one).
_SENTENCE = re.compile(r"\S.*?(?:[.?!;]+(?=\s|$)|$)")


def _is_asking(sentence: str) -> bool:
    """Does a sentence (or the clause that ends it) ask: a question mark, or a question's opening word?"""
    return sentence.rstrip().endswith("?") or bool(_ASKING.match(sentence))


def _antecedent(
    text: str,
    spans: Sequence[tuple[int, int]],
    end: int,
    names: Callable[[str], bool],
    planned: bool = True,
    again: bool = False,
) -> tuple[int, int] | None:
    """The span of the nearest clause before ``end`` that holds no patient detail and names something: the one
    that says what is planned ("EP wants to try cardiac radiation ..., failed ablation x2. does bc idaho cover
    it"), when one does, over the patient's history nearer the question; asked to do it again ("how soon can
    they get it redone"), the one that says what was done ("pt got occipital rfa in march"), over how it went."""
    clauses = list(reversed(list(re.finditer(r"[^,.;!?]+", text[:end]))))
    named = [m for m in clauses if not any(s < m.end() and e > m.start() for s, e in spans) and names(m.group(0))]
    plan = next((m.span() for m in named if _PLANNED.search(m.group(0))), None) if planned else None
    if planned and plan is None:
        # A clause that tells the patient, then what is planned ("pt 35 M wants the armpit sweat glands cut out"):
        # the plan is told after the details.
        plan = next(filter(None, (_plan_after_details(m, spans, names) for m in clauses)), None)
    done = next((m.span() for m in named if _DONE.search(m.group(0))), None) if again else None
    return plan or done or (named[0].span() if named else None)


def _plan_after_details(
    clause: re.Match[str], spans: Sequence[tuple[int, int]], names: Callable[[str], bool]
) -> tuple[int, int] | None:
    """Where a clause that holds the patient's details goes on, past them, to say what is planned: from the
    last detail to its end ("pt has a 1 cm recurrent breast tumor and IR wants to laser it")."""
    told = [e for s, e in spans if s < clause.end() and e > clause.start()]
    rest = (max(told), clause.end()) if told else None
    if rest is None or not _PLANNED.search(clause.string, *rest) or not names(clause.string[rest[0] : rest[1]]):
        return None
    return rest


# Asked to do a procedure again; and the words that say a procedure was done, as staff write a case.
_AGAIN = re.compile(r"\b(?:re-?do(?:ne|ing)?|repeat\w*|again|another (?:one|round|session))\b", re.I)
_DONE = re.compile(r"\b(?:got|had|underwent|received|did)\b|\b(?:was|were) (?:done|performed)\b", re.I)


# The words that say what is to be done to the patient, as staff write a case.
_PLANNED = re.compile(
    r"\b(?:wants?|wanting|plans? to|planning|planned|going to|would like|recommend\w*|propos\w*|schedul\w*|"
    r"to try|to perform)\b",
    re.I,
)


def _asking(
    text: str,
    spans: Sequence[tuple[int, int]],
    names: Callable[[str], bool] | None = None,
    measured: Sequence[tuple[int, int]] = (),
) -> str:
    """The text with the statements that describe the case blanked out, leaving the sentences that ask ("pt is
    67 w/ 2.5cm renal mass, ASA 3. does centene cover cryo for a kidney mass?"). Unchanged when no sentence
    asks or none describes. When the asking sentence points back at the case ("is it covered?"), the clause it
    points at (the nearest one before it that ``names`` something) is kept with it. The blanked words are
    context, to be checked against criteria, not the subject. `measured`: where the patient's measures are told,
    details that end the case's clauses as ages and sizes do ("lung shunt fraction 14% on mapping - is SIRT
    covered?"), though a clause measuring something may still be what "it" stands for."""
    asking = _asking_spans(text, sorted([*spans, *measured]))
    if not asking or asking == [(0, len(text))]:
        return text
    if any(_PRONOUN.search(text[a:b]) for a, b in asking):
        # "is it meant for that?": the case is what the question is about, and what "it" stands for is named
        # by the nearest clause before the question that names anything ("74F, 1.2cm IDC, node neg, onc wants
        # cryoablation. pt has cigna. will it be covered?"); the clauses before that one describe the patient.
        # "cover it", "is that covered": the thing to be done, what the case plans; "does that mess up the
        # criteria": what was said last.
        thing = any(
            _THING.search(text[a:b]) or any(c.search(text[a:b]) for c in ATTRIBUTE_CUES["coverage"]) for a, b in asking
        )
        again = any(_AGAIN.search(text[a:b]) for a, b in asking)
        # "that" may point at a result just told ("got like 80% relief. is that enough"); "it", "they" point at
        # the procedure or the people, never at a measure ("photos show maybe 15% lighter. can they keep going?").
        said = any(_SAID_BEFORE.search(text[a:b]) for a, b in asking)
        skipped = spans if said else sorted([*spans, *measured])
        found = _antecedent(text, skipped, asking[0][0], names, planned=thing, again=again) if names else None
        if found is None:
            return text
        asking.append(found)
    return _only(text, asking)


def _measure_spans(text: str, patient: Patient) -> list[tuple[int, int]]:
    """Where the question tells each of the patient's measures."""
    found = ((text.find(m.said), len(m.said)) for m in patient.measures)
    return [(start, start + length) for start, length in found if start >= 0]


def _only(text: str, kept_spans: Sequence[tuple[int, int]]) -> str:
    return "".join(ch if any(a <= i < b for a, b in kept_spans) else " " for i, ch in enumerate(text))


def codes_asked(query: Query) -> list[str]:
    """The codes the sentences that ask name, when the question also has sentences that only describe ("whats
    the descriptor on 0582T? its on an old superbill right under 0581T": 0582T is asked, 0581T says where it
    was seen); every code of the query when all of it asks."""
    spans = _asking_spans(query.text, [])
    if not spans or spans == [(0, len(query.text))]:
        return list(query.codes)
    # (a modifier asked of, "can we bill the e/m w/ mod 25 on top?", is asked of the procedure the case names)
    typed = {c.value for a, b in spans for c in code_rules.find_in_query(query.text[a:b]) if c.kind != "modifier"}
    return [c for c in query.codes if c in typed] if typed else list(query.codes)


def asking_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Where the sentences that ask are (see `_asking_spans`)."""
    return _asking_spans(text, spans)


def _asking_spans(text: str, spans: Sequence[tuple[int, int]], after_dash: bool = False) -> list[tuple[int, int]]:
    """Where the sentences that ask are (the clause that asks, after the patient's details in one sentence).
    `after_dash`: a statement's question set off after a dash is the question ("dr insists the studies show it
    works - does 0540 credit those studies"), unless it asks of "it" (what the statement names: "... the taxonomy
    code the 47371 summary gives - what is it"); it asks what is asked, while the statement still names of what
    ("need the galati pilot cite - what journal")."""
    sentences = list(_SENTENCE.finditer(text))
    asking = []
    for m in sentences:
        sentence, start = m.group(0), m.start()
        # "pt 68, tumor 1.4cm, will cigna pay for cryo": the clauses before the one that asks, when they hold
        # the patient's details, are the case.
        for clause in re.finditer(r",\s*|\s[-–—]+\s+", sentence):
            described = any(m.start() <= s < m.start() + clause.start() for s, _ in spans)
            if described and _ASKING.match(sentence[clause.end() :]):
                start = m.start() + clause.end()
                break
        if after_dash and not _is_asking(text[start : m.end()]):
            dash = next(
                (
                    d
                    for d in re.finditer(r"\s[-–—]+\s", sentence)
                    if _ASKING.match(sentence[d.end() :]) and not _THING.search(sentence[d.end() :])
                ),
                None,
            )
            start = m.start() + dash.end() if dash else start
        if _is_asking(text[start : m.end()]):
            asking.append((start, m.end()))
    return asking


_BARE_DX = re.compile(r"\bdx\b(?!\s+codes?\b)", re.I)
# A claim's fields with their values: a diagnosis code, a place of service, a procedure code, a modifier.
_GIVEN_FIELD = re.compile(r"\b(?:dx|icd(?:-?10)?)\s*[:#=]?\s*(?=[A-Z]\d\d)|\bpos\s*[:#=]?\s*(?=\d\d?\b)", re.I)
_CLAIM_FIELD = re.compile(
    r"\b(?:dx|icd(?:-?10)?)\s*[:#=]?\s*[A-Z]\d\d|\bpos\s*[:#=]?\s*\d\d?\b|"
    r"\b(?:cpt|hcpcs)\s*[:#=]?\s*(?:\d{4}[0-9A-Z]|[A-Z]\d{4})\b|\bmod(?:ifier)?\s*[:#=]?\s*[0-9A-Z]{2}\b",
    re.I,
)


# The appeal a clerk is working on, named with what it is about ("for a 0581T appeal", "for the rfa denial
# appeal"): why they ask, not what (as "for the appeal" is; its time or its making asked still asks it).
_FOR_AN_APPEAL = re.compile(
    r"\bfor\s+(?:an?|the|my|our|this|that)\s+(?:[\w.-]+\s+){1,3}appeal\b(?!\s+(?:deadlines?|windows?|time\w*))",
    re.I,
)


def _purpose_out(text: str) -> str:
    """The text without the appeal the clerk is working on ("for a 0581T appeal"), when something else is asked
    beside it; alone, the appeal is what is asked ("how many days do we get for a level 2 appeal?")."""
    without = _FOR_AN_APPEAL.sub(lambda m: " " * len(m.group(0)), text)
    if without == text or not any(cue.search(without) for name, cue, _ in ATTRIBUTES if name != "appeal"):
        return text
    return without


def _decision_asked_beyond_saying(text: str) -> bool:
    """Does a coverage cue other than "says about" ask (that one asks a decision only when nothing else is asked)?"""
    said = _SAYS_ABOUT.sub(lambda m: " " * len(m.group(0)), text)
    return any(cue.search(said) for cue in ATTRIBUTE_CUES["coverage"])


_SAYS_ABOUT = re.compile(r"\bsays? about\b", re.I)


def _case_dx_out(text: str) -> str:
    """The text with "dx" left out of the sentences that state the case ("new dx breast ca", "dx was by FNA
    only"): there it is the patient's diagnosis, not a request for diagnosis codes, which a sentence that asks
    makes ("what dx goes with 0581T?")."""

    # A claim's fields typed with their values ("CPT 0581T x1 RT, dx C50.411, POS 24 - good to go?") give them
    # when the rest asks for a decision on the claim. (Else a field is what is asked of: "dx C50.411 - is that
    # listed for cpt 0581T?", "pos 22 or pos 24 for cpt 0581T?")
    text = _purpose_out(text)
    if len(_CLAIM_FIELD.findall(text)) >= 2:
        given = _GIVEN_FIELD.sub(lambda m: " " * len(m.group(0)), text)
        if any(cue.search(given) for cue in ATTRIBUTE_CUES["coverage"]):
            text = given
    if not any(_is_asking(m.group(0)) for m in _SENTENCE.finditer(text)):
        return text  # "dx for 0581T": nothing else asks
    return _SENTENCE.sub(lambda m: m.group(0) if _is_asking(m.group(0)) else _BARE_DX.sub("  ", m.group(0)), text)


def _dotted(text: str, vocabulary: Vocabulary, notes: list[str]) -> str:
    """ICD-10 codes typed without their dot ("c787", "K7689"), read as the documents print them when they do."""

    def dot(m: re.Match[str]) -> str:
        code = f"{m.group(1).upper()}.{m.group(2).upper()}"
        if not vocabulary.knows_code(code):
            return m.group(0)
        notes.append(f"Reading {m.group(0)} as {code}")
        return code

    return re.sub(r"\b([A-TV-Za-tv-z]\d{2})([0-9A-Za-z]{1,4})\b", dot, text)


# "one" standing for a thing named before ("either one", "which one", "the laser one?") and the "same" of "same
# for liver?": no number, no subject.
_PRONOUN_ONE = re.compile(
    r"\b(?:either|neither|which|each|any|another|every|this|that)\s+(ones?)\b|"
    # "the laser one", "a 2 cm one?", "the liver one thru the scope", "the sound wave liver one - how do they ..."
    r"\b(?:the|an?)(?:\s+[\w.-]+){1,3}\s+(ones?)"
    r"(?=\s*(?:[?.!,;:–—]|$|-\s)|\s+(?:thru|through|with|via|where|that|from|for|in|on|at)\b)|"
    r"^\s*(same(?:\s+(?:q|question|thing))?)\s+(?=(?:for|with|about)\b)",
    re.I,
)


def _without_one(m: re.Match[str]) -> str:
    group = next(g for g in (1, 2, 3) if m.group(g))
    return m.group(0)[: m.start(group) - m.start(0)] + m.group(0)[m.end(group) - m.start(0) :]


# A code typed with the letter O for a zero or l/I for a one ("o581t", "4737l"): a code's shape (four such
# characters and a fifth, or a category III letter) with three digits at least, so no word is read as one.
_LOOKALIKE = re.compile(r"(?<![\w.])[0-9oOlI]{4}[0-9oOlItTfFuU](?!\w|\.\d)")
_LOOKS_LIKE_DIGITS = str.maketrans("oOlI", "0011")


# Two bare keys offered as a choice ("52 or 53?", "RT vs LT"), not a count or a measure ("62 or 63 years").
_BARE_CHOICE = re.compile(
    r"(?<![\w.#$/-])(\d{2}|[A-Z]{2})\s*(?:\bor\b|\bvs\.?|\bversus\b|/|(?<=between [A-Z][A-Z] )and\b)\s*(\d{2}|[A-Z]{2})"
    r"(?![\w%/-]|\.\d)"
    r"(?!\s*(?:y|yo|yrs?|years?|cm|mm|months?|mos?|days?|weeks?|wks?|units?|times|mg|ml|percent|min|mins|"
    r"minutes?|hrs?|hours?|sessions?|visits?)\b)(?!\s*(?:or|vs\.?|versus|/)\s*(?:\d{2}|[A-Z]{2})\b)"
)


_MODIFIER_WORD = re.compile(r"\bmod(?:ifier)?s?\b", re.I)


def _bare_modifiers(text: str, vocabulary: Vocabulary) -> str:
    """A choice between two modifiers typed without the word ("doc cut the 0686T short on purpose. 52 or 53?"):
    read as "modifier 52 vs 53" when the question names a procedure code and the documents list both keys as
    modifiers; a comparison of the two, each answered from its row."""
    if not any(c.kind in ("cpt", "hcpcs") for c in code_rules.find_in_query(text)) or _MODIFIER_WORD.search(text):
        return text  # no procedure named, or its modifiers named as such ("modifier 50 or RT/LT")

    def named(m: re.Match[str]) -> str:
        a, b = m.group(1), m.group(2)
        known = all(vocabulary.knows_code(c) and code_rules.kind_of(c) == "modifier" for c in (a, b))
        return f"modifier {a} vs {b}" if known and a != b else m.group(0)

    return _BARE_CHOICE.sub(named, text)


_DENIED = re.compile(r"\b(?:not|no longer|instead of|rather than)\s+(?:(?:with|through|under|via|by|thru)\s+)?$", re.I)
# The plan a patient had before ("pt just switched over from carefirst", "her old plan was aetna"): the case, not
# the payer asked about.
_FORMER = re.compile(
    r"\b(?:switch\w*|mov\w*|chang\w*|came|transferr?\w*)\s+(?:over\s+)?from\s+$|"
    r"\b(?:used to (?:have|be on|be with)|previously (?:had|on|with)|formerly (?:had|on|with)?|"
    r"(?:old|prior|previous|former) (?:plan|insurance|coverage|payer|carrier)(?: was| is)?)\s+$",
    re.I,
)


def _payers_asked(text: str) -> list[str]:
    """The payers a question asks about. Of several named, the ones its asking clause names, when a clause
    before it tells the case ("pt switched from tufts to bcbs ma in jan, does bcbs ma cover it?")."""
    payers = asked_payers(text)
    if len(payers) > 1:
        # "pt has aetna not evicore review": a payer the case is said not to be with is not asked about.
        denied = {
            name
            for name, start, _ in mentions(text, typed=True)
            if _DENIED.search(text[:start]) or _FORMER.search(text[:start])
        }
        payers = [p for p in payers if p not in denied] or payers
    if len(payers) > 1:
        clauses = [m for m in re.finditer(r"[^,;.?!]+[,;.?!]*", text) if m.group(0).strip()]
        asking = [n for n, m in enumerate(clauses) if n and _ASKING.match(m.group(0))]
        if asking:
            before = text[: clauses[asking[-1]].start()]
            own = asked_payers(text[clauses[asking[-1]].start() :])
            # The clauses before tell the case (they ask nothing) and name the asked payer too; else the
            # question compares ("aetna covers it, is cigna stricter?", "does aetna cover it. is cigna the same?").
            telling = "?" not in before and not any(_ASKING.match(m.group(0)) for m in clauses[: asking[-1]])
            told = set(asked_payers(before))
            if own and set(own) < set(payers) and telling and all(o in told or family(o) in told for o in own):
                return own
    return payers


def _lookalike_digits(text: str, notes: list[str]) -> str:
    def digits(m: re.Match[str]) -> str:
        typed = m.group(0)
        if sum(ch.isdigit() for ch in typed) < 3 or not set(typed) & set("oOlI") or typed[1:].isdigit():
            return typed  # "I4891", "O0900": ICD-10 codes typed without their dot
        code = typed.translate(_LOOKS_LIKE_DIGITS).upper()
        notes.append(f"Reading {typed} as {code}")
        return code

    return _LOOKALIKE.sub(digits, text)


def _fits_code(text: str, typed: str, code: str, vocabulary: Vocabulary, named: Collection[str] = ()) -> bool:
    """Whether the documents that carry a code say a word of the question that the documents use and that names
    a subject (not filler, not a payer's name, not a word of asking), when it names any; and hold the other
    codes it names beside it ("can we bill 76940 with 47371" asks of the two together: 76942, a row of a liver
    ultrasound summary that never names 47371, is no reading of it)."""
    says = getattr(vocabulary, "code_documents_say", None)
    if says is None:
        return True
    carrying = getattr(vocabulary, "documents_with_code", None)
    others = [c for c in named if c != typed and vocabulary.knows_code(c)]
    if carrying is not None and others:
        held = {d.id for d in carrying(code)}
        if not any(held & {d.id for d in carrying(other)} for other in others):
            return False
    rest = text.replace(typed, " ")
    for _, start, end in reversed(mentions(rest, typed=True)):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    asked = [name for name, cue, _ in ATTRIBUTES if cue.search(rest)]
    subject = [w for w in _topic(rest, asked[0] if asked else "general", []) if vocabulary.frequency(w)]
    return not subject or any(says(code, w) for w in subject)


def _near_code(code: str, known: list[str]) -> str | None:
    """The one known code a keystroke away (one changed, added, dropped or swapped character). Two or more are
    no reading: which one the clerk meant is not for the assistant to guess (a code read wrong costs a claim)."""
    from rapidfuzz.distance import DamerauLevenshtein

    near = [k for k in known if len(k) == len(code) and DamerauLevenshtein.distance(code, k) == 1]
    near = near or [k for k in known if abs(len(k) - len(code)) == 1 and DamerauLevenshtein.distance(code, k) == 1]
    return near[0] if len(near) == 1 else None


def _done_again(text: str, spans, vocabulary: Vocabulary, notes: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """A verb made with "re-" that the documents never use, of one they do ("reinject", "relaser", "refreeze"), read
    as the verb done again ("repeat inject"): the documents say "repeat injections", not "reinjection"."""

    # (a longer word the documents use that the verb begins counts: "inject" in "injections")
    said = getattr(vocabulary, "matchable", None) or (lambda w: bool(vocabulary.frequency(w)))

    def again(word: str, _: int) -> str | None:
        rest = word[2:].lstrip("-")
        # (a word an ask is read by stays whole: "redetermination", "reconsideration" name an appeal)
        if vocabulary.frequency(word) or not said(rest) or any(c.search(word) for _, c, _ in ATTRIBUTES):
            return None
        notes.append(f"Reading “{word}” as “repeat {rest}”")
        return f"repeat {rest}"

    return _rewritten(text, spans, again, 6, pattern=r"\b[Rr][Ee]-?[A-Za-z]{4,}\b")


def _rewritten(text: str, spans, change, shortest: int, pattern: str = "") -> tuple[str, list[tuple[int, int]]]:
    """The text with each word (of `shortest` letters or more, or matching `pattern`, outside the patient's
    details and payer names) that `change` rewrites replaced, and the details' spans moved with the text."""
    spans = list(spans)
    # A payer's name is no word to rewrite ("Humana" is not "human", "Optima" not "optimum").
    named = [(start, end) for _, start, end in mentions(text, typed=True)]
    for m in reversed(list(re.finditer(pattern or rf"[A-Za-z]{{{shortest},}}", text))):
        lowered = m.group(0).lower()
        if lowered in FILLER or any(s <= m.start() < e for s, e in [*spans, *named]):
            continue
        new = change(lowered, m.start())
        if new and new != lowered:
            text = text[: m.start()] + new + text[m.end() :]
            shift = len(new) - len(lowered)
            spans = [(s + shift, e + shift) if s >= m.end() else (s, e) for s, e in spans]
    return text, spans


def _in_dictionary_form(text: str, spans, vocabulary: Vocabulary) -> tuple[str, list[tuple[int, int]]]:
    """A word the documents never use whose dictionary form they do ("froze", "frozen" -> "freeze"; "bled" ->
    "bleed"): an irregular form no stemmer joins to the documents' word, read as it. A stemmer cuts endings
    ("freezing" -> "freez") but cannot tell "froze" is "freeze"; a lemmatizer's word list can."""
    import simplemma

    def lemma(word: str, _: int) -> str | None:
        if word in _FUNCTION or _is_stop(word) or vocabulary.frequency(word):
            return None  # ("thru" is a function word as "through" is)
        form = simplemma.lemmatize(word, lang="en")
        # A regular ending ("earliest", "stopped") the stemmer reads; rewritten, a superlative would lose its sense.
        # An irregular form that keeps its word's onset ("froze", "bled") is the word; one that does not ("came"
        # of "come", "took" of "take") is mostly a common verb of the case told, no subject to search by.
        regular = word.startswith(form[:-1])
        return form if not regular and form[:2] == word[:2] and len(form) >= 4 and vocabulary.frequency(form) else None

    return _rewritten(text, spans, lemma, 4)


def _spelled(text: str, spans, vocabulary: Vocabulary) -> tuple[str, list[tuple[int, int]], list[tuple[str, str]]]:
    """A word the documents never use but spell almost alike ("cryoablaton", "taxonmy") read as theirs."""
    corrected = []

    def respelled(word: str, at: int) -> str | None:
        if vocabulary.frequency(word):
            return None
        fixed = vocabulary.spelled_like(word)
        if fixed and fixed != word:
            corrected.append((word, fixed))
        return fixed

    text, spans = _rewritten(text, spans, respelled, 5)
    return text, spans, corrected[::-1]


# A two-letter word is an abbreviation of the documents' when more than one passage uses it.
MIN_ABBREVIATION_USES = 2


def _topic(text: str, attribute: str, payers: list[str], known=None) -> list[str]:
    """Content words naming the subject: not the words that ask for the attribute, filler, payer names or
    codes. A two-letter word counts when the documents use it again and again (`known`: in how many passages):
    "ct" guidance, "mr" guidance; not "ca" for cancer, which one address in a corpus happens to hold."""
    # A criterion is what a decision turns on: the words asking for the decision ("the max size bcbs allows",
    # "what does the pt need for aetna to approve") name no criterion.
    asking = {attribute, "coverage"} if attribute == "criteria" else {attribute}
    for name, cue, _ in ATTRIBUTES:
        if name in asking:
            text = cue.sub(" ", text)
    # "how soon", "what cutoff": words that ask for a limit, not name one; "what's the hiatal hernia cutoff" names
    # the criterion between them.
    text = _LIMIT_ASK.sub(
        lambda m: " " + " ".join(w for w in m.group(0).split()[1:-1] if w.lower() not in _ASKS_LIMIT) + " ", text
    )
    for _, start, end in reversed(mentions(text, typed=True)):
        text = text[:start] + " " * (end - start) + text[end:]
    text = COMMERCIAL.sub(" ", text)  # a line of business, as a payer's name: whose policy, not what about
    codes = {c.value.lower() for c in code_rules.find_in_query(text)}
    topic = [
        word
        for word in words(text)
        if word not in FILLER
        and word not in codes
        and (len(word) >= 3 or (len(word) == 2 and known is not None and known(word) >= MIN_ABBREVIATION_USES))
        and not word.isdigit()
        and not _is_stop(word)
        and word not in _FUNCTION
        and not (word in _REFERENCE and (codes or payers or attribute == "codes"))
        and word not in _KIN
    ]
    return list(dict.fromkeys(topic))


_AGREE = re.compile(r"\bagree(?:s|d)?\b|\bsame (?:page|position|stance)\b", re.I)
_PAYMENT_ACRONYM = re.compile(r"^(?:apcs?|opps|drgs?|ms-drg)$", re.I)


def _names_a_study(text: str, vocabulary: Vocabulary) -> bool:
    """Does the question name a study by the surname of its first author, as the documents give it ("the
    Varga-Holm trial", "kawamoto 2024"), hyphenated surname whole?"""
    authors: Set[str] = getattr(vocabulary, "study_authors", frozenset)()
    typed = {w.lower() for w in re.findall(r"[A-Za-z]+(?:-[A-Za-z]+)*", text)}
    return any(w in authors and (w not in _stopwords()) and ("-" in w or len(w) > 3) for w in typed)


def _other_acronym(text: str, vocabulary: Vocabulary) -> bool:
    """Is the only payment word of a question an acronym the documents define as something else ("APC":
    argon plasma coagulation, in a policy on Barrett's esophagus)? Then it names a treatment, not a payment."""
    said = [m.group(0) for cue in ATTRIBUTE_CUES.get("payment", []) for m in cue.finditer(text)]
    if not said or not all(_PAYMENT_ACRONYM.match(w) for w in said):
        return False
    defined = getattr(vocabulary, "defined_as", None) or getattr(vocabulary, "spelled_out", None)
    if defined is None:
        return False
    meant = [defined(w) for w in said]
    return all(m and not re.search(r"\bpayment|\brelated groups?\b|\bprospective\b", m, re.I) for m in meant)


def _acronyms_defined(text: str, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """The acronyms of a question the documents define, with their long forms (not already typed out)."""
    found = []
    for short in dict.fromkeys(re.findall(r"\b[A-Za-z][A-Za-z0-9]{1,9}\b", text)):
        long = None if _is_stop(short.lower()) else vocabulary.spelled_out(short)
        if long and long not in text.lower():
            found.append((short, long))
    return found


def _is_stop(word: str) -> bool:
    return word in _stopwords()


@cache
def _stopwords() -> frozenset[str]:
    """English function words: bm25s's short list and the contractions of NLTK's (which llama-index ships),
    so "aren't" is never taken for the subject of a question. NLTK's other words stay: "after", "above",
    "not" and "same" can be what a clinical question turns on ("pain after a knee replacement")."""
    from bm25s.stopwords import STOPWORDS_EN
    from llama_index.core import __file__ as core

    nltk = Path(core).parent / "_static" / "nltk_cache" / "corpora" / "stopwords" / "english"
    listed = [w for w in nltk.read_text().split() if "'" in w] if nltk.is_file() else []
    # Staff type a negative contraction without its apostrophe ("dont see it", "doesnt say"): the same word,
    # and never another ("well", "ill" and "shed" are why the other contractions stay as spelled).
    bare = [w.replace("'", "") for w in listed if w.endswith("n't")]
    return frozenset(STOPWORDS_EN) | frozenset(listed) | frozenset(bare)


def _per_payer(query: Query, topic: tuple[str, ...], text: str) -> tuple[Query, ...]:
    if len(query.payers) < 2:
        return ()
    own = _own_subjects(query.payers, topic, text)
    return tuple(_part(query, query.attribute, payers=(p,), topic=own.get(p, topic), context=()) for p in query.payers)


# A subject is named in two words or more ("cryo ... cervix", "port wine stain laser"); one word after a payer is
# what is said of it ("like aetna or more"), or its plan's name ("blue cross RI bluechip"). Set on the payers dev
# split: with one word, c77-31 and c78-02 (those two phrasings) broke and c77-10 ("presbyterian (hifu) vs bcbs nc
# (cryo)") was fixed; with two, none changed there.
_OWN_SUBJECT_WORDS = 2


def _own_subjects(payers: tuple[str, ...], topic: tuple[str, ...], text: str) -> dict[str, tuple[str, ...]]:
    """Each payer's own subject when each names one after it ("the bcbstx port wine stain laser one or sanford's
    cervical ablation one", "does aetna need PA for hemorrhoid banding, and does cigna ... for cryo of the
    cervix?"): the words between its name and the next payer's, when each payer is named once and no word of the
    subject comes before the first name. When a payer has no words of its own ("does humana and aetna cover
    0581T"), every payer is asked the whole subject."""
    segments = _payer_segments(payers, text)
    if not segments:
        return {}
    said = {name: set(words(text[a:b].lower())) for name, (a, b) in segments.items()}
    before = set(words(text[: min(a for a, _ in segments.values())].lower()))
    own = {
        name: [w for w in topic if w in said[name] and all(w not in said[o] for o in said if o != name)]
        for name in said
    }
    if not all(len(words_of) >= _OWN_SUBJECT_WORDS for words_of in own.values()) or any(w in before for w in topic):
        return {}  # (words of the subject before the first name may be either payer's: "breast cryo w/ cigna and")
    shared = [w for w in topic if sum(w in said[n] for n in said) > 1]
    return {name: tuple(dict.fromkeys([*own[name], *shared])) for name in said}


def _payer_segments(payers: tuple[str, ...], text: str) -> dict[str, tuple[int, int]]:
    """Where each payer's words run, from its name to the next payer's, when each is named once."""
    named = [(start, name) for name, start, _ in mentions(text, typed=True) if name in payers]
    if sorted(name for _, name in named) != sorted(payers):
        return {}  # (a payer named twice may be asked of either subject)
    starts = sorted(named)
    bounds = [start for start, _ in starts] + [len(text)]
    return {name: (a, b) for (a, name), b in zip(starts, bounds[1:])}


def _compared(query: Query, text: str, authors: Set[str] = frozenset()) -> tuple[Query, ...]:
    """Sub-questions of a comparison of two codes, two modifiers, two payers or two studies. The words that
    compare ("how is it different from", "both", "agree") ask for the comparison: no part asks about
    "difference"."""
    topic = tuple(w for w in query.topic if not _comparing(w))
    if not (_COMPARISON.search(text) or re.search(r"\band\b|,|&|/", text)):
        # Two payers named without words that compare ("does humana cover it? ... 1 dx block like aetna or
        # more"): each one's position on its own, so that one payer's is never read as the other's.
        return _per_payer(query, topic, text)
    procedures = [
        c for c in query.codes if code_rules.PATTERNS["cpt"].fullmatch(c) or code_rules.PATTERNS["hcpcs"].fullmatch(c)
    ]
    modifiers = [c for c in query.codes if code_rules.kind_of(c) == "modifier"]
    if query.attribute == "related-codes":
        # "billing it as 48999 - can i also add 43259 and 76975?": the procedure billed is no part of its own.
        procedures = [c for c in procedures if c not in base_codes(text)]
    if len(procedures) >= 2 and _TOGETHER.search(text):
        return ()  # "can i bill 64530 and 64680 both?": whether the two go on one claim is asked of the pair
    if len(procedures) >= 2:
        attribute = query.attribute if query.attribute != "general" else "description"  # what each code is
        others = tuple(c for c in query.codes if c not in procedures)
        # What tells two codes apart is the detail asked ("service type 0581T vs 0971T?"), else what each one is:
        # the words around them ("both are breast tumor ablation thru the skin") may only say what they share.
        return tuple(
            _part(query, attribute, codes=(c, *others), topic=topic, context=(), compared=True) for c in procedures
        )
    if len(modifiers) >= 2 and _COMPARISON.search(text):
        # "mod 52 vs 53 on 0686T": what each one is for ("modifier 50 or RT/LT for bilateral 64624" asks which)
        others = tuple(c for c in query.codes if c not in modifiers)
        return tuple(_part(query, "modifier", codes=(m, *others), topic=topic, context=()) for m in modifiers)
    for kind in ("taxonomy", "icd10"):
        keys = [c for c in query.codes if code_rules.kind_of(c) == kind]
        if len(keys) >= 2 and _COMPARISON.search(text):
            # "2084P0800X or 207K00000X for 0686T, which one is the main one?", "K76.89 vs D37.7?": what each
            # row says of it
            others = tuple(c for c in query.codes if c not in keys)
            attribute = query.attribute if query.attribute != "general" else "description"
            return tuple(_part(query, attribute, codes=(k, *others), topic=topic, context=()) for k in keys)
    if len(query.payers) >= 2:
        return _per_payer(query, topic, text)
    studies = _studies_named(text, topic, authors)
    if len(studies) >= 2:
        # "galati and kawamoto - how many pts in each?": each study is asked on its own, by its author's name.
        # Each is searched with the words that ask, too ("mean age of participants"), as a question of its own is.
        asking = [w for w in query.focus if w not in studies and not _comparing(w)]
        parts = [
            _part(query, query.attribute, topic=tuple(w for w in topic if w not in studies or w == s), context=())
            for s in studies
        ]
        return tuple(replace(p, search=" ".join(dict.fromkeys([*p.topic, *asking]))) for p in parts)
    sides = _sides(text, topic)
    if sides:
        # "breast cryo devices vs breast laser devices": each side is asked without the word naming the other,
        # and searched with the words that ask ("FDA status"), as a question of its own is.
        parts = [
            _part(
                query,
                query.attribute,
                topic=tuple(w for w in topic if w not in other),
                focus=tuple(w for w in query.focus if w not in other and not _comparing(w)),
                context=(),
            )
            for other in reversed(sides)
        ]
        return tuple(replace(p, search=" ".join(dict.fromkeys([*p.topic, *p.focus]))) for p in parts)
    return ()


# Two things set against each other in words: "A vs B", "A compared with B", "the difference between A and B".
_VERSUS = re.compile(r"\s(?:vs\.?|versus|compared (?:to|with)|as opposed to)\s", re.I)
# ("the days between the ablation and the lumpectomy" is an interval, not a comparison)
_BETWEEN = re.compile(r"\b(?:differ\w*|diff|compar\w*|choos\w*|chose|decid\w*)\s+between\b(.+?)\band\b(.+)", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:?!()]|\s[-–—]\s|\.(?:\s|$)")


# A side's own words are the modifiers of the noun compared: two at most ("breast cancer survival vs overall
# survival"), as English noun phrases seldom stack more before a head; further back is the case around them.
MAX_SIDE_WORDS = 2


def _sides(text: str, topic: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The words that tell apart two things a question compares, those of each side nearest the word that
    compares them ("cryo", "laser" in "breast cryo devices vs breast laser devices"; "breast cancer", "overall"
    in "breast cancer survival vs overall survival"), when each side has one."""
    between = _BETWEEN.search(text)
    versus = _VERSUS.search(text)
    if between:
        left, right = between.group(1), between.group(2)
    elif versus:
        left, right = text[: versus.start()], text[versus.end() :]
    else:
        return None
    left, right = _CLAUSE_BREAK.split(left)[-1], _CLAUSE_BREAK.split(right)[0]
    said = set(topic)
    left_words = [w for w in words(left) if w in said and not _comparing(w)]
    right_words = [w for w in words(right) if w in said and not _comparing(w)]
    own_left = _nearest_run([w for w in left_words if w not in right_words], words(left)[::-1])
    own_right = _nearest_run([w for w in right_words if w not in left_words], words(right))
    return (own_left, own_right) if own_left and own_right else None


def _nearest_run(own: list[str], in_order: list[str]) -> tuple[str, ...]:
    """The side's own words next to each other nearest the comparing word (`in_order`, every word of the side,
    runs away from it), up to MAX_SIDE_WORDS: any other word ("breast" both sides say, "for") ends the run."""
    run: list[str] = []
    for word in in_order:
        if word not in own:
            if run:
                break
            continue
        run.append(word)
        if len(run) == MAX_SIDE_WORDS:
            break
    return tuple(run)


# The procedure another code is billed with or on top of ("... as 48999", "with 64624", "on top of 58580").
_BASE_CODE = re.compile(
    r"\b(?:as|with|on top of|in addition to|alongside)\s+(?:cpt\s+|code\s+)?([0-9]{4}[0-9A-Z]|[A-Z][0-9]{4})\b", re.I
)


def base_codes(text: str) -> set[str]:
    """The codes of the procedure others are billed with ("... as 48999", "with 64624", "on top of 58580")."""
    return {m.group(1).upper() for m in _BASE_CODE.finditer(text)}


def _comparing(word: str) -> bool:
    """A word that compares, whole or cut short as staff type it ("diff" for "difference")."""
    return word in _COMPARING or (len(word) >= 4 and any(c.startswith(word) for c in _COMPARING))


def _studies_named(text: str, topic: Sequence[str], authors: Set[str]) -> list[str]:
    """The words of the topic that name a study by its first author's surname ("Kawamoto", "galati"): a surname
    the documents give a study under, typed capitalised or no common word ("fine" is one, "Fine" a name)."""
    from .embeddings import english_words

    capitalised = {w.lower() for w in re.findall(r"(?<=\W)[A-Z][a-z]+", f" {text}")}
    return [w for w in topic if w in authors and (w in capitalised or w not in english_words())]


def _parts(query: Query, text: str, attributes: list[str]) -> tuple[Query, ...]:
    """Sub-questions of one question asking for several things of one subject ("ProSense - manufacturer,
    DEN number and product code?")."""
    distinct = [a for a in dict.fromkeys(attributes) if a not in {"description", "general", "criteria"}]
    if "coverage" in distinct:
        # The decision is a part of its own only when a sentence asks it apart from each other thing ("do we need
        # a PA or is it just not covered?"): answered alone, the prior-authorization part would abstain over the
        # decision asked too. The case told before the question ("cigna denied 0581T as not covered, do we need
        # a PA to resubmit?") asks nothing.
        asking = _asking(text, query.patient.spans)
        others = [a for a in distinct if a != "coverage"]
        if not others or not all(_asked_apart(asking, ["coverage", a], decision=True) for a in others):
            distinct.remove("coverage")
    if set(distinct) <= {"date", "policy-number"}:
        return ()  # one document's header answers both at once
    if len(distinct) >= 2 and ("coverage" in distinct or _asked_apart(text, distinct[:2])):
        return tuple(_part(query, attribute) for attribute in distinct[:3])
    return ()


# Where a second question starts: "... in 1 session and how many sessions per yr", "...guidance? can i bill
# the d&c on top of it".
_SECOND_ASK = re.compile(
    r"(?:\s*[,;]?\s+(?:and|also|plus|\+|&)\s+|\?\s+)(?=(?:how|what|whats|what's|which|when|where|who|is|are|does|"
    r"do|can|could|will|would|should)\b)|"
    # "... which mod? and they did a biopsy too, what do i add for that?": after a question mark, "and" opens
    # another question that ends on its own ("6 wks? 6 months?" and "or is it investigational?" ask no new thing)
    r"\?\s+(?:and|also|plus)\s+(?=[^?]*\?)",
    re.I,
)


# A message that numbers its questions ("1) do we need a PA? 2) can i bill 76942 w/ it"): each number opens one.
_NUMBER = re.compile(r"(?:^|(?<=\s))\(?([1-9])[).]\s+")


def _numbered(question: str) -> list[str]:
    """The numbered questions of a message (what comes before the first is the case they share, and goes with
    the first), or the message whole when it numbers nothing: a list counts from 1 to 2 on, so a lone "3)" is
    no number."""
    marks: list[re.Match[str]] = []
    for m in _NUMBER.finditer(question):  # 1, 2, 3 in order; "pt had 3." after "2)" is no third question
        if int(m.group(1)) == len(marks) + 1:
            marks.append(m)
    if len(marks) < 2:
        return [question]
    ends = [m.start() for m in marks[1:]] + [len(question)]
    first = question[: marks[0].start()] + question[marks[0].end() : ends[0]]
    pieces = [first, *(question[m.end() : end] for m, end in zip(marks[1:], ends[1:]))]
    # A numbered list of facts after one question ("does our pt fit: 1. she is 72 2. tumor 1.2 cm") asks once.
    if not all(_is_asking(p.strip()) for p in pieces[1:]):
        return [question]
    return pieces


def _limit_of_policy(attribute: str, piece: str, of_policy: bool) -> str:
    """A question of a message read as nothing in particular that asks a limit ("how long", "how many") asks
    a criterion when the message is about a payer's policy."""
    return "criteria" if attribute == "general" and of_policy and _LIMIT_ASK.search(piece) else attribute


def _asks(question: str, vocabulary: Vocabulary) -> tuple[Query, ...]:
    """The questions of a message that asks two or more, each read on its own; a later one that names no
    subject takes the first one's, as a follow-up does."""
    pieces = [p.strip() for numbered in _numbered(question) for p in _SECOND_ASK.split(numbered) if p.strip()]
    # "ok and how much does it pay?": a piece of chat alone ("ok", "thanks") asks nothing.
    pieces = [p for p in pieces if any(w not in FILLER and w not in _FUNCTION for w in words(p))]
    if len(pieces) < 2:
        return ()
    first = _read(pieces[0], vocabulary, question)
    # The payer named once is the one each later question asks about, even when named after it ("can they redo
    # it? how soon after the 1st one and how many times will sentara pay for it").
    owns = [_read(piece, vocabulary, question) for piece in pieces[1:4]]
    payers = first.payers or next((own.payers for own in owns if own.payers), ())
    # "how soon can we redo it and how many will <payer> approve": a limit of the payer named later
    first = replace(first, attribute=_limit_of_policy(first.attribute, pieces[0], bool(payers)))
    if first.attribute in _OF_A_POLICY:
        first = replace(first, payers=payers)
    asks = [first]
    for piece, own in zip(pieces[1:4], owns):
        ask = _resolve(own, first, vocabulary)
        if own.codes and all(code_rules.kind_of(c) == "modifier" for c in own.codes):
            # "... 64620 ... how many units and do i put modifier 50": a modifier of the procedure named before
            carried = [c for c in first.codes if code_rules.kind_of(c) != "modifier" and c not in ask.codes]
            ask = replace(ask, codes=(*ask.codes, *carried))
        if own.codes or own.documents:
            attribute = own.attribute  # one that names its own code asks its own thing ("can we add 76942")
        elif own.attribute == "general" and re.match(
            r"\W*(?:(?:which|what)\s+ones?|what about|how about)\b", piece, re.I
        ):
            attribute = first.attribute  # "... and which one if it is stopped before?"
        else:
            attribute = own.attribute
        # "... what taxonomy? and is diagnostic radiology listed too, which code": the code of the table asked of
        # first, for the procedure asked of first.
        of_the_table = (
            attribute == "codes"
            and first.attribute in _TABLE_KINDS
            and not own.codes
            and bool(_ON_THE_LIST.search(piece))
        )
        if of_the_table:
            attribute = first.attribute
            ask = replace(ask, codes=(*ask.codes, *[c for c in first.codes if c not in ask.codes]))
        # "... for priority health rfa and how long on pain meds?": a limit of that policy
        attribute = _limit_of_policy(attribute, piece, bool(payers) or first.attribute == "criteria")
        topic = ask.topic
        # Asked for the same code again ("the code for lap liver cryo? and the code for freezing a breast tumor?"),
        # a question with words of its own asks it of another procedure (asked for criteria again, of another
        # aspect of the same one: "... and what are the criteria for a repeat procedure?").
        again = attribute == first.attribute and attribute in {"codes", *_TABLE_KINDS} and bool(own.topic)
        # A new aspect of the first question's subject ("how many diagnostic blocks and how much relief"): its
        # words are searched and count half, as a follow-up's carried words do. A question that restates the case
        # its own way ("... if it is stopped before") is not given the first's words. Asked again by one word, a
        # method or an organ alone ("cpt for laser ablation of the cervix ... also whats the code for cryo"), the
        # first's words say the rest, weighing no more than its own; a procedure named in full ("... and the code
        # for freezing a breast tumor?") is another subject.
        if not set(own.topic) & set(first.topic) and (not again or len(own.topic) == 1):
            topic = (*topic, *[w for w in first.topic if w not in topic])
            ask = replace(ask, follows=ask.follows or again)
        asks.append(
            replace(
                ask,
                topic=topic,
                search=" ".join(dict.fromkeys([*ask.codes, *topic, *own.focus])),
                attribute=attribute,
                # The payer or policy named once is the one every question of the message asks about.
                payers=ask.payers or (payers if attribute in _OF_A_POLICY else first.payers),
                documents=ask.documents or first.documents,
                # What "it" stands for, shown and read: "when did it go into effect? (... of article A59871)".
                resolved=piece if set(own.topic) & set(first.topic) or own.codes else f"{piece} ({pieces[0]})",
            )
        )
    return tuple(replace(ask, parts=()) for ask in asks)


# What a payer's policy answers, or may ("can they redo it?"): the payer named anywhere in a message is the one
# these ask about; a code's modifier, description or FDA status is the same whoever pays.
_OF_A_POLICY = {"coverage", "criteria", "payment", "prior-auth", "appeal", "policy-number", "date", "general"}


def _asked_apart(text: str, attributes: list[str], decision: bool = False) -> bool:
    """Are two things asked in separate parts of the question ("the number and when did it take effect"), not
    one thing in words that cue both ("the FDA indication for a tumor that size", "how much does oscar pay,
    allowed amt?")? Each must be asked by a clause that cues not the other. A decision is asked by a clause that
    asks ("... or is it just not covered"), and may be the other choice of an "or"; two other things joined by
    "or" are one choice ("modifier 50 or RT/LT for bilateral")."""
    cues = {name: cue for name, cue, _ in ATTRIBUTES}
    # (a clause keeps its question mark: "... 31295 - covered? auth?" asks twice)
    clauses = re.split(r"\band\b|,|&|\balso\b|;|(?<=\?)" + (r"|\bor\b" if decision else ""), text)
    if decision:
        clauses = [c for c in clauses if _is_asking(c.strip())]
    asking = [{a for a in attributes[:2] if cues[a].search(clause)} for clause in clauses]
    return all(any(found == {a} for found in asking) for a in attributes[:2])


def _part(query: Query, attribute: str, **changes) -> Query:
    part = replace(query, attribute=attribute, parts=(), **changes)
    subject = " ".join([*part.codes, *part.payers]) or " ".join(part.topic)
    label = ATTRIBUTE_WORDS.get(attribute, attribute)
    return replace(
        part,
        resolved=f"{label[0].upper()}{label[1:]} for {subject}".strip(),
        search=" ".join([*part.codes, *part.topic]) or query.search,
    )


# A turn that corrects the code of the one before ("sorry i meant 47371 not 0686T", "i mean 0971T"): the same
# question of the code meant.
_CORRECTION = re.compile(r"^\W*(?:(?:sorry|oops|my bad|correction)\W+)*(?:i\s+)?(?:meant|mean)\b", re.I)
_NOT_CODE = re.compile(r"\b(?:not|instead of)\s+([0-9A-Z]{5}|[A-Z]\d{2}\.?\w*)\b", re.I)


def _corrected(query: Query, previous: Query) -> Query | None:
    """The earlier question asked again of the code a correction names, or None if the turn is no correction."""
    if not _CORRECTION.match(query.text) or not query.codes:
        return None
    if query.payers or query.attribute != "general" or set(query.topic) - _CORRECTION_WORDS:
        return None  # "i mean does aetna cover 47371": a question of its own
    wrong = {m.group(1).upper() for m in _NOT_CODE.finditer(query.text)} & set(previous.codes)
    meant = [c for c in query.codes if c not in wrong]
    if not meant:
        return None
    # The code corrected: the one named after "not", else the earlier code of the same kind (one only).
    same_kind = [c for c in previous.codes if code_rules.kind_of(c) == code_rules.kind_of(meant[0])]
    replaced = wrong or set(same_kind[:1] if len(same_kind) == 1 else ())
    if not replaced:
        return None
    codes = tuple(dict.fromkeys(meant[0] if c in replaced else c for c in previous.codes))
    resolved = previous.resolved
    for old in replaced:
        resolved = re.sub(rf"\b{re.escape(old)}\b", meant[0], resolved, flags=re.I)
    search = " ".join(dict.fromkeys([*codes, *previous.topic]))
    return replace(
        previous, text=query.text, codes=codes, resolved=resolved, search=search, parts=(), notes=query.notes
    )


def _only_acceptable(text: str) -> bool:
    """Is a coverage cue found only as "ok" / "fine" (acceptable, of whatever else the question asks)?"""
    cues = [m.group(0) for cue in ATTRIBUTE_CUES["coverage"] for m in cue.finditer(text)]
    return bool(cues) and all(re.match(r"\W*(?:ok|okay|fine)\b", c, re.I) for c in cues)


def _corrected_in_words(query: Query, previous: Query, vocabulary: Vocabulary | None) -> Query | None:
    """The earlier question asked again of a subject a correction names in words ("sorry i meant the liver one
    they do thru the scope" after a question on the breast freezing code): each word named stands in for the
    earlier word nearest it in meaning (an organ for an organ), and the earlier question is read again so."""
    if not _CORRECTION.match(query.text) or query.codes or query.payers or query.attribute != "general":
        return None
    if previous.codes:
        return None  # asked of a code: the words name another code's summary, as a follow-up's do
    said = getattr(vocabulary, "matchable", None) or getattr(vocabulary, "frequency", None)
    # "i meant laser not cryo": the word after "not" is the one corrected, not one meant
    wrong = {m.group(1).lower() for m in re.finditer(r"\bnot\s+(\w+)", query.text, re.I)}
    new = [w for w in query.topic if w not in _CORRECTION_WORDS | wrong and (said is None or said(w))]
    nearest = getattr(vocabulary, "nearest_meaning", None)
    # The earlier question as it was understood ("Does Cigna cover laser ablation?" for "what about the laser
    # one?"), in its own words when it was read as typed.
    asked = previous.resolved or previous.text
    earlier = [w for w in previous.topic if w not in new and re.search(rf"\b{re.escape(w)}\b", asked, re.I)]
    earlier = [w for w in earlier if w in wrong] or earlier
    if not new or nearest is None or not earlier:
        return None
    text = asked
    for word in new:
        old = nearest(word, {w: w for w in earlier})[0]
        earlier.remove(old)
        text = re.sub(rf"\b{re.escape(old)}\b", word, text, flags=re.I)
        if not earlier:
            break
    again = _read(text, vocabulary)  # type: ignore[arg-type]
    return replace(again, text=query.text, resolved=text, notes=(*query.notes, *again.notes))


_CORRECTION_WORDS = {"meant", "mean", "sorry", "oops", "one", "ones", "correction"}


def _resolve(query: Query, previous: Query | None, vocabulary: Vocabulary | None = None) -> Query:
    """Fill what a follow-up leaves out from the turn before: its subject, its attribute, its payer."""
    if previous is None:
        return query
    if asks_for_other_documents(query.text):
        # "does it say which other cigna policies to look at?": other documents are asked for, not the turn
        # before's question of its subject; it goes on from the documents just quoted.
        return replace(query, follows=True)
    corrected = _corrected(query, previous) or _corrected_in_words(query, previous, vocabulary)
    if corrected is not None:
        return corrected
    has_subject = bool(query.codes or query.documents or query.topic)
    # "is gen surg on the list too": the list the answer before gave, asked for another of its entries
    listed = bool(_ON_THE_LIST.search(query.text)) and previous.attribute in {*_TABLE_KINDS, "codes", "related-codes"}
    pronoun = bool(_PRONOUN.search(query.text)) or bool(_FOLLOW_UP.match(query.text)) or listed
    short = len(query.topic) <= 3
    take_subject = not (query.codes or query.documents) and (not query.topic or (pronoun and short))
    # "how long does the pain have to last?" after "does blue kc cover genicular rfa?": a limit of that policy.
    limit = bool(
        _LIMIT_ASK.search(query.text)
        and not (query.codes or query.documents or query.payers)
        and (previous.payers or previous.attribute in ("coverage", "criteria"))
        and query.attribute in ("general", "criteria", "coverage")
        and previous.attribute != "study"  # "how many were lost to f/u" after a trial's results: the trial's figure
    )
    take_subject = take_subject or limit
    # ("whats the primary one on that list": one of the list's entries is asked for, not a description)
    entry = listed and query.attribute == "description" and bool(_ONE_OF.search(query.text))
    take_attribute = (query.attribute == "general" or entry) and (
        not has_subject or bool(_FOLLOW_UP.match(query.text)) or short or listed
    )
    # ("ok what about carriero - ref # and the title?": a source is asked for, whatever the turn before asked)
    take_attribute = take_attribute and not SOURCES_ASKED.search(query.text)
    # "what about after anesthesia?" after a modifier question asks the same thing of another case; so does a
    # fragment that names only a case ("before or after anesthesia?") after a question of a code's tables.
    fragment = bool(
        previous.attribute in SPECIFIC
        and not (query.codes or query.documents or query.payers)
        and not asks_on_its_own(query.text)
        and len(words(query.text)) <= 5
    )
    take_attribute = take_attribute or bool(
        (_SAME_ASK.match(query.text) or fragment)
        and previous.attribute != "general"
        and query.attribute not in SPECIFIC
    )
    # "pt is 68, does she fit the indication?" in a conversation about a device's FDA status: the indication the
    # FDA gave it, of the device the conversation is on.
    fda_indication = bool(
        previous.attribute == "fda"
        and query.attribute in ("general", "criteria")
        and not (query.codes or query.documents or query.payers)
        and re.search(r"\bindicat\w*|\blabel(?:ed|led)?\b", query.text, re.I)
        and re.search(r"\b(?:fits?|meets?|qualif\w*|eligible|within)\b", query.text, re.I)
    )
    take_subject = take_subject or fragment or fda_indication
    # "when did it get approved?" in a conversation about FDA status: the FDA's approval, not a payer's.
    fda_approval = previous.attribute == "fda" and query.attribute == "coverage" and not query.payers
    fda_approval = (fda_approval and bool(FDA_ACTIONS.search(query.text))) or fda_indication
    # A turn that names no code but points back at the one the conversation is on ("shes on eliquis - does it
    # say anything about the blood thinner", "what modifier then if dr has to stop halfway") asks of that code,
    # in words of its own.
    carry_codes = bool(previous.codes and not (query.codes or query.documents) and pronoun and not take_subject)
    if (
        not take_subject
        and not take_attribute
        and not fda_approval
        and not carry_codes
        and not (pronoun and not query.payers and previous.payers)
    ):
        return query
    attribute = "criteria" if limit else previous.attribute if take_attribute or fda_approval else query.attribute
    own_topic = query.topic
    if attribute != query.attribute and query.attribute != "general":
        # The words that seemed to ask for another attribute are the new case's ("after anesthesia").
        own_topic = tuple(_topic(query.text, attribute, list(query.payers)))
    if fda_approval:  # "approved" asked the FDA status, as "fda" did; "does she fit the indication" too
        own_topic = tuple(w for w in own_topic if not FDA_ACTIONS.match(w) and not _FITS.match(w))
    # Only words the documents use can stand in for the earlier subject ("what about straight medicare?": not
    # "straight").
    said = getattr(vocabulary, "matchable", None) or getattr(vocabulary, "frequency", None)
    known = [w for w in own_topic if said is None or said(w)]
    substitutes = take_subject and bool(known) and not _REFERRING.search(query.text)
    # "is it covered?" after "and QX?" asks about the procedure: a payer decides on a procedure, not on one of
    # its modifiers (which stay with any other question: "how many units" with modifier 50). A new case ("what
    # about after anesthesia?" after modifier 73) asks which modifier anew.
    carried_codes = tuple(
        c
        for c in previous.codes
        if code_rules.kind_of(c) != "modifier" or (attribute != "coverage" and not substitutes)
    )
    codes = carried_codes if take_subject or carry_codes else query.codes
    titled = getattr(vocabulary, "code_titled", None)
    # Only a turn that names a procedure ("same for the laser one?", "what about the liver code") switches to
    # another code's summary by its title; "what imaging do they use to guide the probe" asks of the same code,
    # though "imaging" and "guide" are words of the focused ultrasound summary's title.
    naming = bool(_NAMES_ANOTHER.search(query.text))
    # (a turn asking of its own names the code by the words before its "one": "and the sound wave liver one -
    # how do they check the margins")
    naming_words = _named_as_one(query.text, known) if carry_codes else known
    named = (
        titled(naming_words, previous.codes)
        if titled and (take_subject or carry_codes) and naming_words and previous.codes and naming
        else None
    )
    renamed = named is not None and named not in previous.codes
    if named is not None and renamed:
        # "same for the laser one?" after a question on 0581T: the words name the laser code's summary.
        codes = (named, *[c for c in carried_codes if code_rules.kind_of(c) == "modifier"])
    documents = previous.documents if take_subject else query.documents
    # "what about NCI?" after a question on NCCN: a name the follow-up types stands in for the earlier one.
    replaced = _names(previous) if _names(query) else set()
    if substitutes and naming:
        # "same q for the laser one" after a question on microwave devices: each word of the one named anew stands
        # in for the earlier subject's word nearest it in meaning (a method for a method, an organ for an organ).
        replaced |= _stood_in_for([w for w in known if w not in previous.topic], previous.topic, vocabulary)
    carried = [w for w in previous.topic if w not in own_topic and w not in replaced]
    topic = (*own_topic, *carried) if take_subject else own_topic
    # "and for 47371?" after "doc stopped 0686T after anesthesia - which modifier?": the same question, the case
    # and all, of the code named anew. (Only of a code's tables, whose rows the case tells apart: elsewhere the
    # earlier words name the earlier code's subject, "breast cryo", and the new code's summary never says them.)
    same_case = (
        take_attribute
        and attribute in _TABLE_KINDS
        and bool(query.codes)
        and not own_topic
        and set(query.codes) != set(previous.codes)
    )
    asked_again = False
    if same_case:
        topic = tuple(previous.topic)
    elif (
        take_attribute
        and query.codes
        and not own_topic
        and previous.codes
        and not set(query.codes) & set(previous.codes)
    ):
        # "and for 0686T?" after "how old is the typical pt in the 47371 summary": the same aspect of the code
        # named anew. The earlier words its title says ("liver", "cryoablation") named the earlier code's subject
        # and stay with it.
        titled_words = getattr(vocabulary, "title_says", None)
        if titled_words is not None:
            topic = tuple(w for w in previous.topic if not titled_words(w, previous.codes))
            asked_again = bool(topic)
    elif renamed and _only_names_another(query.text):
        # "what about the liver one thru the scope" after "0581T - whats the freeze-thaw supposed to accomplish":
        # its words named the code; the earlier question, not its words, is asked of it. (Not the case it told:
        # "surgeon wants to freeze the lump thru a needle" was the earlier code's.)
        titled_words = getattr(vocabulary, "title_says", None)
        earlier = tuple(
            w
            for w in previous.asked
            if w not in previous.context and not (titled_words and titled_words(w, previous.codes))
        )
        if earlier:
            topic, asked_again = earlier, True
    # A follow-up that types a subject without pointing back ("what about cryo?", "the freezing one?" after a
    # question on laser devices) asks about that subject: the carried words set the scene, searched but not
    # required of the answer. One that points back ("is it covered by cigna though?") keeps the earlier
    # subject as its own, and the earlier case ("pt had a tka 2 yrs ago") as the scene.
    if asked_again:
        context = () if renamed else previous.context
    elif substitutes:
        context = tuple(carried)
    elif take_subject:
        context = (*query.context, *[w for w in carried if w in previous.context])
    else:
        context = query.context
    payers = query.payers or (previous.payers if (take_subject or pronoun) else ())
    lines = query.programs or (previous.programs if payers == previous.payers else ())
    resolved = _sentence(
        attribute,
        codes,
        payers,
        topic,
        query.text,
        topic if same_case or asked_again else own_topic if substitutes else (),
    )
    text = query.text
    if asked_again and len(previous.codes) == 1 and len(codes) == 1:
        # The earlier question, of the code named anew, is what is asked ("how old is the typical pt in the
        # 0686T summary").
        text = re.sub(rf"\b{re.escape(previous.codes[0])}\b", codes[0], previous.text, flags=re.I)
        resolved = text if text != previous.text else resolved
    # (the words that named the code asked again of are spent on it: the earlier question's words are its own)
    focus = previous.focus if asked_again and not same_case else query.focus
    return replace(
        query,
        text=text,
        resolved=resolved,
        focus=focus,
        search=" ".join(dict.fromkeys([*codes, *topic, *focus])) or query.search,
        codes=codes,
        documents=documents,
        topic=topic,
        context=context,
        attribute=attribute,
        payers=payers,
        programs=lines,
        # the case as the conversation gave it, with what this turn measures ("and her PVR was 180 mL?")
        patient=_case_so_far(
            previous.patient, query.patient, take_subject or fragment or bool(_FOLLOW_UP.match(query.text))
        ),
        follows=(take_subject or carry_codes) and set(codes) <= set(previous.codes),
    )


def _case_so_far(earlier: Patient, own: Patient, same_case: bool) -> Patient:
    """The patient as the conversation has told it: this turn's details, and, when it goes on with the same case
    ("and for a 2 cm one?"), the earlier turn's details it does not restate (the age of "a 74F")."""
    measures = told_so_far(earlier.measures, own.measures)
    if not own:
        return replace(earlier, measures=measures)
    if not same_case:
        return replace(own, measures=measures)
    return replace(
        own,
        age=own.age if own.age is not None else earlier.age,
        sex=own.sex or earlier.sex,
        sizes_cm=own.sizes_cm or earlier.sizes_cm,
        sizes_said=own.sizes_said if own.sizes_cm else earlier.sizes_said,
        measures=measures,
    )


def _stood_in_for(new: Sequence[str], earlier: Sequence[str], vocabulary: Vocabulary | None) -> set[str]:
    """The earlier subject's words the follow-up's new words stand in for: for each, the one nearest it in
    meaning. Only a turn that names another of a kind ("the laser one") calls this; nothing is left unmatched."""
    nearest = getattr(vocabulary, "nearest_meaning", None)
    choices = {w: w for w in earlier if w not in new}
    if nearest is None or not choices:
        return set()
    return {nearest(w, choices)[0] for w in new}


def _names(query: Query) -> set[str]:
    """Subject words typed as names ("NCI", "ProSense", "Kawamoto"): capitalised, past the question's first word."""
    typed = re.findall(r"(?<=\s)[A-Z][A-Za-z0-9]+", query.text)
    return {w.lower() for w in typed} & set(query.topic)


def _sentence(attribute: str, codes, payers, topic, typed: str, case: tuple[str, ...] = ()) -> str:
    """A resolved follow-up as a question a reader can check ("Which modifiers apply to 0686T?")."""
    subject = " and ".join(codes) or " ".join(topic[:6])
    payer = " and ".join(payers)
    templates: dict[str, Callable[[], str]] = {
        "coverage": lambda: f"Does {payer} cover {subject}?" if payer else f"Is {subject} covered?",
        "criteria": lambda: f"What are {payer + ' ' if payer else ''}criteria for {subject}?",
        # The case a modifier is asked for is what tells one modifier from another ("after anesthesia").
        "modifier": lambda: f"Which modifiers apply to {subject}{' ' + ' '.join(case[:4]) if codes and case else ''}?",
        "icd10": lambda: f"Which ICD-10 codes go with {subject}?",
        "taxonomy": lambda: f"Which specialties (taxonomy codes) perform {subject}?",
        "related-codes": lambda: f"Which related codes are billed with {subject}?",
        "site-of-service": lambda: f"Where is {subject} typically performed?",
        "description": lambda: f"What is {subject}?",
        "rationale": lambda: f"What reason does {payer or 'the policy'} give for its decision on {subject}?",
        "date": lambda: f"What are the dates of the {payer + ' ' if payer else ''}policy on {subject}?",
        "policy-number": lambda: f"What is the number of the {payer + ' ' if payer else ''}policy on {subject}?",
    }
    build = templates.get(attribute)
    if build and subject:
        return build().replace("  ", " ")
    return f"{typed.strip()} ({subject})" if subject else typed
