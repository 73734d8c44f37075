// Schemas shared by every kind: ObjectMeta, OwnerReference, LabelSelector, Condition.
import { arr, bool, int, listMap, obj, str, stringMap, timestamp, enumOf } from '../schema';

export const ownerReference = obj(
  {
    apiVersion: str('API version of the referent.'),
    kind: str('Kind of the referent.'),
    name: str('Name of the referent.'),
    uid: str('UID of the referent.'),
    controller: bool('If true, this reference points to the managing controller.'),
    blockOwnerDeletion: bool(
      'If true, and the owner has the "foregroundDeletion" finalizer, the owner cannot be deleted from the key-value store until this reference is removed.',
    ),
  },
  'OwnerReference contains enough information to let you identify an owning object.',
  { required: ['apiVersion', 'kind', 'name', 'uid'] },
);

export const objectMeta = obj(
  {
    name: str('Name must be unique within a namespace.'),
    generateName: str(
      'GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided.',
    ),
    namespace: str('Namespace defines the space within which each name must be unique.'),
    uid: str('UID is the unique in time and space value for this object.'),
    resourceVersion: str('An opaque value that represents the internal version of this object.'),
    generation: int('A sequence number representing a specific generation of the desired state.'),
    creationTimestamp: timestamp(
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    ),
    deletionTimestamp: timestamp(
      'DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted.',
    ),
    deletionGracePeriodSeconds: int('Number of seconds allowed for this object to gracefully terminate.'),
    labels: stringMap('Map of string keys and values that can be used to organize and categorize objects.'),
    annotations: stringMap('Annotations is an unstructured key value map stored with a resource.'),
    ownerReferences: listMap(ownerReference, 'uid', 'List of objects depended by this object.'),
    finalizers: arr(str(), 'Must be empty before the object is deleted from the registry.'),
    managedFields: arr(obj({}, undefined, { 'x-kubernetes-preserve-unknown-fields': true })),
  },
  'ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.',
);

export const labelSelector = obj(
  {
    matchLabels: stringMap('matchLabels is a map of {key,value} pairs.'),
    matchExpressions: arr(
      obj(
        {
          key: str('key is the label key that the selector applies to.'),
          operator: enumOf(
            ['In', 'NotIn', 'Exists', 'DoesNotExist'],
            "operator represents a key's relationship to a set of values.",
          ),
          values: arr(str()),
        },
        undefined,
        { required: ['key', 'operator'] },
      ),
      'matchExpressions is a list of label selector requirements.',
    ),
  },
  'A label selector is a label query over a set of resources.',
);

export const condition = obj(
  {
    type: str('type of condition in CamelCase.'),
    status: enumOf(['True', 'False', 'Unknown'], 'status of the condition, one of True, False, Unknown.'),
    reason: str(
      "reason contains a programmatic identifier indicating the reason for the condition's last transition.",
    ),
    message: str('message is a human readable message indicating details about the transition.'),
    lastTransitionTime: timestamp(
      'lastTransitionTime is the last time the condition transitioned from one status to another.',
    ),
    lastUpdateTime: timestamp('The last time this condition was updated.'),
    lastProbeTime: timestamp('Last time we probed the condition.'),
    observedGeneration: int(
      'observedGeneration represents the .metadata.generation that the condition was set based upon.',
    ),
    severity: str('Severity provides an explicit classification of Reason code.'),
  },
  undefined,
  { required: ['type', 'status'] },
);
