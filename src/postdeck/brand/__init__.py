"""Brand stage: a template YAML -> a validated ``Brand``.

In: a template name or path. Out: a frozen ``Brand`` (colours, fonts, layout, captions,
schedule) validated once on load, so nothing after it reads raw YAML. ``files`` finds templates
(./templates/, then built-in) and scaffolds new ones; ``schedule`` parses weekly slots and plans
local times (used by the template's validation and by the publisher).
"""
