/* L.featureGroup.subGroup(parent): a layer group whose members live in a shared parent group
 * (a MarkerCluster), so each event type toggles on its own while all types cluster together.
 * The project's own implementation of the API folium's FeatureGroupSubGroup expects (the
 * Leaflet.FeatureGroup.SubGroup plugin has no installed copy to inline). It adds bulk
 * addLayers/removeLayers, which pass straight to MarkerCluster's fast bulk methods. */
(function () {
  "use strict";
  function bulk(parent, method, single, layers) {
    if (parent[method]) { parent[method](layers); return; }
    for (var i = 0; i < layers.length; i++) { parent[single](layers[i]); }
  }
  L.FeatureGroup.SubGroup = L.FeatureGroup.extend({
    initialize: function (parentGroup, layers) {
      L.FeatureGroup.prototype.initialize.call(this, layers);
      this._parentGroup = parentGroup;
    },
    setParentGroup: function (parentGroup) {
      var onMap = !!this._map;
      if (onMap) { this.onRemove(this._map); }
      this._parentGroup = parentGroup;
      if (onMap) { this.onAdd(this._map); }
      return this;
    },
    getParentGroup: function () { return this._parentGroup; },
    addLayer: function (layer) {
      this._layers[this.getLayerId(layer)] = layer;
      if (this._map) { this._parentGroup.addLayer(layer); }
      return this;
    },
    removeLayer: function (layer) {
      var id = layer in this._layers ? layer : this.getLayerId(layer);
      layer = this._layers[id];
      if (layer && this._map) { this._parentGroup.removeLayer(layer); }
      delete this._layers[id];
      return this;
    },
    addLayers: function (layers) {
      for (var i = 0; i < layers.length; i++) { this._layers[this.getLayerId(layers[i])] = layers[i]; }
      if (this._map && layers.length) { bulk(this._parentGroup, "addLayers", "addLayer", layers); }
      return this;
    },
    removeLayers: function (layers) {
      for (var i = 0; i < layers.length; i++) { delete this._layers[this.getLayerId(layers[i])]; }
      if (this._map && layers.length) { bulk(this._parentGroup, "removeLayers", "removeLayer", layers); }
      return this;
    },
    onAdd: function (map) {
      this._map = map;
      var layers = this.getLayers();
      if (this._parentGroup.addFromSubGroup) { this._parentGroup.addFromSubGroup(layers); return; }
      bulk(this._parentGroup, "addLayers", "addLayer", layers);
    },
    onRemove: function () {
      var layers = this.getLayers(), parent = this._parentGroup;
      this._map = null;
      // MarkerCluster removes thousands of markers one by one, very slowly; a parent that can
      // rebuild itself from its sub-groups on the map (clear + one bulk add) does it instead.
      if (layers.length > 1000 && parent.rebuildFromSubGroups) { parent.rebuildFromSubGroups(); return; }
      bulk(parent, "removeLayers", "removeLayer", layers);
    }
  });
  L.featureGroup.subGroup = function (parentGroup, layers) {
    return new L.FeatureGroup.SubGroup(parentGroup, layers);
  };
}());
