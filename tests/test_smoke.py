from cohesie import demo


def test_demo_is_deterministic_and_sized_like_mechelen():
    a, b = demo.build(), demo.build()
    assert a.sectors["code"].tolist() == b.sectors["code"].tolist()
    assert a.points[["x", "y"]].round(6).equals(b.points[["x", "y"]].round(6))
    assert 90 <= len(a.sectors) <= 110
    assert a.wijkindeling["wijk_code"].nunique() == 12
    assert a.population["inwoners"].sum() == 88_000
    assert (a.points["layer"] == "signalen").sum() == 100_000
