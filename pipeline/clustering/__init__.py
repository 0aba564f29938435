"""Story clustering core (issue #4): exact / near-duplicate / same-story assignment, online.

Pure Python + numpy, no Kafka or Faust: the stream layer passes a Faust Table as ``store``.
"""
from .clusterer import Assignment, ClusterDoc, StoryClusterer
from .params import ClusterParams

__all__ = ["StoryClusterer", "ClusterParams", "ClusterDoc", "Assignment"]
