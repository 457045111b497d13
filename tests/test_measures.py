"""A patient's measured details (how long, how much, what share, what score) against a criterion's bounds."""

from assistant.measures import checks, stated_measures, told_so_far


def _one(text: str):
    found = stated_measures(text)
    assert len(found) == 1, found
    return found[0]


def test_a_duration_is_read_with_what_it_measures():
    m = _one("pt 58F, did 10 wks of bladder training")
    assert m.kind == "time" and m.value == 70 and m.said == "10 wks of bladder training"  # from its first telling word
    assert {"bladder", "train"} <= m.about


def test_an_age_or_size_is_not_a_measure():
    assert stated_measures("52M, 1.4cm lesion, 67 y/o") == ()


def test_a_volume_is_checked_against_a_bound_that_speaks_of_it():
    m = _one("only thing is her post void residual was 180 mL")
    assert m.said == "post void residual was 180 mL"  # said from its first telling word
    criterion = (
        "4. Urinary tract infection and hematuria have been excluded, and a post-void residual volume is less than "
        "150 mL;"
    )
    assert checks(m, criterion) == [False]
    assert checks(_one("post void residual 120 ml"), criterion) == [True]


def test_a_bound_on_something_else_is_not_checked():
    # "bladder" alone is shared; what the clause measures (bladder *training*) is not what the bound counts.
    m = _one("did 10 wks of bladder training")
    assert checks(m, "3. A bladder diary covering at least 3 consecutive days, completed within 90 days") == []


def test_a_duration_meets_at_least_and_misses_more_than():
    m = _one("low back pain ~9 mo")
    assert checks(m, "2. Low back pain has been present for at least 6 months; and") == [True]
    assert checks(m, "Low back pain for more than 12 months") == [False]
    assert checks(m, "The pain has not responded to at least 6 months of physical therapy") == []  # not pain's length


def test_a_time_since_is_set_against_within():
    m = _one("the diagnostic block was done like 5 months ago")
    assert m.ago and m.kind == "time"
    assert checks(m, "3. A diagnostic block of the same branch performed within the past 90 days gave relief") == [
        False
    ]
    assert checks(m, "a diagnostic block performed within the past 12 months") == [True]
    assert checks(m, "at least 3 months of diagnostic block follow-up") == []  # a time since is no duration


def test_a_named_score_and_a_pain_scale():
    odi, pain = stated_measures("MRI shows modic type 1, ODI 38, pain 7/10")[-2:]
    criterion = "with an Oswestry Disability Index (ODI) of 30 or more and a pain score of 4 or more on a 0 to 10 scale"
    assert odi.kind == "score:odi" and checks(odi, criterion) == [True]
    assert pain.kind == "scale" and checks(pain, criterion) == [True]
    assert checks(_one("ecog 3"), "ECOG performance status of 0 to 2;") == [False]
    assert checks(_one("ecog 1"), "ECOG performance status of 0 to 2;") == [True]


def test_a_share_is_checked():
    m = _one("the test block gave 60% relief of her pain")
    assert checks(m, "produced at least 75% pain relief lasting for the expected duration") == [False]
    assert checks(m, "gave at least 50% relief of heel pain") == [True]


def test_a_share_within_a_range_and_not_against_another_measure_s_bound():
    m = _one("severe emphysema, FEV1 32% predicted, pulm wants valves")
    assert m.kind == "share" and "fev1" in m.about  # "FEV1" names the share; it is no score of 1
    criterion = "FEV1 between 20% and 50% of predicted; and total lung capacity of at least 105% of predicted"
    assert checks(m, criterion) == [True]  # the lung capacity's bound shares only "predicted"


def test_a_sum_or_a_clause_s_dash_is_read_as_typed():
    assert stated_measures("gleason 3+4, T2b") == ()  # "3+4" is a sum, not a score of 3
    assert _one("symptom score 6 - does she qualify for rfa").said == "symptom score 6"


def test_a_named_value_typed_without_its_unit_takes_the_criterion_s():
    assert checks(_one("psa 18.5"), "4. The serum PSA is 15 ng/mL or less; and") == [False]


def test_an_aside_measures_what_its_clause_names_and_a_code_is_no_score():
    found = stated_measures("evicore 64600 - the diagnostic block was done back in april (like 5 months ago)")
    assert len(found) == 1 and found[0].ago and {"diagnost", "block"} <= found[0].about, found
    criterion = (
        "3. A diagnostic block of each targeted branch with local anesthetic alone (64400), performed within the past "
        "90 days, produced at least 75% relief"
    )
    assert checks(found[0], criterion) == [False]  # a code in brackets is no bound: the block's words still count


def test_a_scale_s_value_is_set_against_a_bound_on_its_scale_only():
    pain = _one("pain 7/10")
    criterion = "5. Pain and disability are at least moderate, with an ODI of 30 or more and a pain score of 4 or more"
    assert checks(pain, criterion) == [True]  # not "7 does not meet 30 or more"


def test_units_are_compared_as_one_and_negated_bounds_read_as_at_most():
    assert checks(_one("pain x 1 yr"), "pain for at least 12 months") == [True]  # 365 days vs 12 months of 30.4
    assert checks(_one("knee pain x 26 wks"), "knee pain for at least 6 months") == [True]
    residual = _one("post void residual 120 mL")
    assert checks(residual, "post-void residual no greater than 150 mL") == [True]
    assert checks(residual, "post-void residual does not exceed 150 mL") == [True]
    assert checks(_one("ahi 35"), "an AHI greater than or equal to 15 events per hour") == [True]


def test_ages_counts_and_other_scales_are_no_bound_of_a_measure():
    assert checks(_one("low back pain x 9 mo"), "patients 18 years or older who have had low back pain") == []
    assert checks(_one("pain 7/10"), "Chronic knee pain with 2 or more of the following:") == []
    assert checks(_one("pain 7/10"), "pain intensity of at least 40 mm on a 100 mm visual analog scale") == []
    assert checks(_one("bmi 3"), "BMI of 40 kg/m2 or greater") == [False]  # "m2 or greater" is no bound of 2
    assert checks(_one("ecog 3"), "ECOG performance status of 0-2 and a life expectancy of 3 months") == [False]


def test_ranges_and_dates_typed_are_no_one_figure():
    assert stated_measures("got 50-80% relief") == ()
    assert stated_measures("pain on 5/10/2024 was bad") == ()
    assert not _one("8 months back pain").ago  # back pain, not "8 months back"


def test_a_later_turn_s_measure_of_the_same_thing_replaces_the_earlier():
    first, other = stated_measures("post void residual was 180 mL, 10 wks of behavioral therapy")
    (again,) = stated_measures("actually post void residual was 120 mL")
    assert told_so_far((first, other), (again,)) == (other, again)


def test_figures_of_one_unit_are_exact_and_a_time_s_units_only_are_near():
    assert checks(_one("relief 49%"), "at least 50% relief") == [False]
    assert checks(_one("post void residual 147 mL"), "post void residual less than 150 mL") == [True]


def test_what_is_no_bound_of_a_measure_checks_nothing():
    assert checks(_one("conservative therapy x 3 months"), "conservative therapy over the past 3 months") == []
    assert checks(_one("pain 7/10"), "painful bone metastasis less than 5 cm") == []
    assert checks(_one("pain 8/10"), "pain at least 7 out of 10") == [True]


def test_a_later_measure_of_another_thing_keeps_the_earlier():
    pain, injection = stated_measures("knee pain x 2 yrs"), stated_measures("she had a knee injection 3 months ago")
    assert told_so_far(pain, injection) == (*pain, *injection)


def test_a_share_of_what_is_predicted_is_checked_whatever_the_case_and_cut_of_its_words():
    # "FEV1" printed is one word, "fev1" typed two; "pred" is "predicted" cut short; "of predicted" stands between
    # the figure and its bound.
    criterion = "6. Pre-bronchodilator FEV1 is 50% of predicted or higher on spirometry done within 3 months."
    assert checks(_one("fev1 58% pred"), criterion) == [True]
    assert checks(_one("fev1 45% pred"), criterion) == [False]


def test_a_modifier_named_with_its_number_is_no_score():
    assert stated_measures("do i put modifier 50 on it") == ()


def test_a_name_s_number_and_a_typed_word_of_english_tell_other_things_apart():
    criterion = "6. Pre-bronchodilator FEV1 is 50% of predicted or higher on spirometry done within 3 months."
    assert checks(_one("fev6 60% pred"), criterion) == []  # FEV6 is no FEV1
    # "physical" is a word of its own, not "physician" cut short
    assert checks(_one("8 wks of physical therapy"), "at least 6 weeks of physician-supervised therapy") == []


def test_a_bound_an_exclusion_lifts_with_unless_is_no_exclusion_met():
    from assistant.compose import patient_checks
    from assistant.selection import quote_of
    from assistant.types import Document, Passage, Patient

    doc = Document("p", "Policy", "coverage-policy", "p.txt", "0")

    def lines(text: str) -> list[str]:
        passage = Passage("p", 1, ("Policy",), text, 0, len(text), "paragraph", decision="investigational")
        return patient_checks(Patient(age=74), [quote_of(passage, doc)], 1)

    # "... investigational unless the patient is 18 or older": the bound is the condition for coverage
    assert not any(
        "exclusion" in line for line in lines("X is investigational unless the patient is 18 years of age or older.")
    )
    assert any(
        line.startswith("Age 74 falls under the exclusion")
        for line in lines("X is investigational in patients 65 years of age or older.")
    )


def test_a_range_with_its_unit_said_after_both_figures_bounds_a_volume():
    unit = "3. Prostate volume is between 30 cc and 80 cc, measured by transrectal ultrasound within 12 months"
    (large,) = stated_measures("prostate 95 cc")
    (fits,) = stated_measures("prostate 52cc")
    assert checks(large, unit) == [False] and checks(fits, unit) == [True]


def test_how_a_figure_was_measured_is_not_what_it_measures():
    (volume,) = [m for m in stated_measures("prostate is 95 cc on MRI, ipss 24") if m.kind == "volume"]
    unit = "3. Prostate volume is between 30 cc and 80 cc, measured by transrectal ultrasound or CT"
    assert checks(volume, unit) == [False]  # "MRI" is how it was measured: the criterion need not say it
