"""Annotate and rtype the entry point: non-RPython code fails here in a minute,
not after a full translation."""


def test_annotate_and_rtype_entry_point():
    from rpython.translator.interactive import Translation
    import targetst80
    t = Translation(targetst80.entry_point, [[str]])
    t.annotate()
    t.rtype()
    # The entry point was really analysed: the interpreter loop is in the graph.
    names = set(graph.name for graph in t.context.graphs)
    assert any('loop' in name for name in names)
    assert any('interpret' in name for name in names)
