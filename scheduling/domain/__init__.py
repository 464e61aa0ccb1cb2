"""The fieldwork schedule as pure functions over plain data (no Django, no database).

* ``model``: the dataclasses (TeamMember, Case, CaseManager, Window, Slot, Block, Pin,
  Assignment, Week).
* ``templates``: the slot templates of ``scheduling/data/slot_templates.yaml`` and
  ``build_week(template, members)``.
* ``solver.solve(...)``: CP-SAT placement of the sample into slots.
* ``checks.check_assignment(...)``: what a hand-edited schedule breaks, ranked.
* ``diagnose.diagnose(...)``: why no schedule exists.
* ``constraints``: the rules and weights all of the above share.
"""
