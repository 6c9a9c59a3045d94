"""Property test: any folder of handed-in files is merged or refused with DataError.

About 1,000 examples with a fixed seed; ``benchmarks/fuzz_results.py`` runs 20,000."""

from hypothesis import HealthCheck, given, settings

from results_fuzz import check_folder, class_folders


@settings(max_examples=1000, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])  # the data root is set once per test
@given(class_folders)
def test_any_handed_in_folder_is_merged_or_refused_with_a_data_error(files):
    check_folder(files)
