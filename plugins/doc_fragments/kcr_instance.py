# -*- coding: utf-8 -*-
# Copyright: cloudops.multicloud contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # How every KCR module names the registry instance it works in.
    DOCUMENTATION = r"""
options:
  instance_id:
    description:
      - ID of the KCR registry instance the task works in (a UUID).
      - Exactly one of O(instance_id) and O(instance_name) is required.
      - With an ID no lookup is made; a missing instance is reported by the first call that
        names it.
    type: str
  instance_name:
    description:
      - Name of the KCR registry instance the task works in, looked up with one extra
        DescribeInstance call.
      - Exactly one of O(instance_id) and O(instance_name) is required.
    type: str
  project_id:
    description:
      - IDs of the projects to look for the instance in (digits, such as V(0)).
      - Without it, the instances of the default project V(0) are searched for certain, those of
        other projects perhaps not; give the project of an instance outside project V(0).
      - With O(instance_name), the projects searched for the name; with O(instance_id), where to
        confirm that the instance exists when an error leaves it unclear.
    type: list
    elements: str
    aliases: [project_ids]
"""
